from . import test_harness
from . import test_contract_review
from . import test_contract_review_confirm
from . import test_contract_classification
from . import test_contract_review_invalidation
from . import test_contract_amendment
from . import test_contract_review_report
from . import test_contract_review_tour
