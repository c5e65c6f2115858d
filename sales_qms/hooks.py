def post_init_hook(env):
    """Run once the module's data, demo data and translations are loaded.

    - Orders that existed before the installation were classified while the
      module's tables were created, before its data (the special contract
      reasons) was loaded: they got their facts but no reason tags. The orders
      no review round has seen yet are classified again, now that the reasons
      exist.
    - Checklist items copied during the installation (demo deliveries) were
      copied before the translations of the templates were loaded: they get
      them now."""
    orders = (
        env["sale.order"]
        .with_context(active_test=False)
        .search([("qms_review_ids", "=", False)], order="id")
    )
    for start in range(0, len(orders), 500):
        orders[start : start + 500]._qms_refresh_classification()
        env.flush_all()
    env.cr.execute(
        """
        UPDATE qms_delivery_inspection_line line
           SET name = item.name
          FROM qms_inspection_template_line item
         WHERE item.id = line.template_line_id
           AND line.name->>'en_US' = item.name->>'en_US'
           AND line.name != item.name
        """
    )
    env.invalidate_all()
