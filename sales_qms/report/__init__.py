from . import report_management_review
from . import report_quality_objectives
