"""Pure decisions: contract model, scope matching, hours, flags and comment texts."""
