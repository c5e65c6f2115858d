from . import test_harness
from . import test_contract_review
from . import test_contract_review_confirm
