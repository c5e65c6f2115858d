# The two commands: `make run` serves the demo, `make test` runs the whole suite.
.PHONY: run test test-odoo lint stop reset pot bench screenshots scale load stress

run:
	@scripts/qms.sh run

test:
	@scripts/qms.sh test $(PYTEST_ARGS)

# the addon's tests under Odoo's own runner (odoo-bin --test-enable), as OCA's CI runs them
test-odoo:
	@scripts/qms.sh test-odoo

lint:
	@scripts/qms.sh lint

stop:
	@scripts/qms.sh stop

reset:
	@scripts/qms.sh reset

pot:
	@scripts/qms.sh pot

bench:
	@BENCH=$(BENCH) scripts/qms.sh bench

screenshots:
	@scripts/qms.sh screenshots $(SHOTS_ARGS)

scale:
	@scripts/qms.sh scale

load:
	@scripts/qms.sh load $(LOAD_ARGS)
stress:
	@scripts/qms.sh stress
