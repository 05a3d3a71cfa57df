"""The "Penilaian" page: the assessor's scoring form."""

from kringlib.ui.assessment_form.model import AssessmentFormModel
from kringlib.ui.assessment_form.view import AssessmentFormView
from kringlib.ui.base import engine_from_environment
from kringlib.ui.identity import Session


def build_app() -> AssessmentFormView:
    """The form for the signed-in assessor (nobody until ``sign_in``), ready to display."""
    engine = engine_from_environment()
    return AssessmentFormView(AssessmentFormModel(engine, Session(engine))).render()


__all__ = ["AssessmentFormModel", "AssessmentFormView", "build_app"]
