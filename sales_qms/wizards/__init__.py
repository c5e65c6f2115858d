from . import qms_service_report_wizard
from . import qms_lot_status_wizard
from . import qms_contract_downgrade_wizard
from . import portal_share
from . import qms_customer_property_wizard
from . import qms_technical_change_response_wizard
from . import qms_report_print_wizard
from . import qms_service_report_wizard_evaluation
