"""Personal data (issue 16, DPDP Act 2023): pseudonymisation of client identifiers, retention."""
