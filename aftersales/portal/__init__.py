"""The customer portal (REQUIREMENTS PO-1, issue 14): context code of the pages in aftersales/www/
and the whitelisted endpoints they call. docs/security.md ("The portal") has the rules."""
