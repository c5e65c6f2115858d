from . import qms_service_report_wizard
from . import qms_lot_status_wizard
from . import qms_contract_downgrade_wizard
from . import portal_share
from . import qms_objective_measure_wizard
from . import qms_objective_report_wizard
