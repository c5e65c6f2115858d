from . import test_harness
from . import test_claim
from . import test_claim_fulfilment
from . import test_followup_visit
from . import test_after_sales_reports
from . import test_claim_portal
