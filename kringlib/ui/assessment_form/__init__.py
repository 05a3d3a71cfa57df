"""The "Penilaian" page: the assessor's scoring form."""

from kringlib.ui.assessment_form.model import AssessmentFormModel
from kringlib.ui.assessment_form.view import AssessmentFormView


def build_app() -> AssessmentFormView:
    """The form on the configured database, rendered, ready to display."""
    return AssessmentFormView(AssessmentFormModel.from_environment()).render()


__all__ = ["AssessmentFormModel", "AssessmentFormView", "build_app"]
