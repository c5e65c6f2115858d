from . import qms_contract_downgrade_wizard
