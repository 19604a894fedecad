# modules/collateral/demo.mk - build fragment for the demo data's collateral
# library (issue 5): modules/collateral/demo.c, which `porticoctl seed-demo`
# calls, and the files it puts into the store, installed with the demo SQL
# under $(pkgdatadir)/sql/demo/collateral (<sql_dir>/demo/collateral).
# Included by Makefile.am; paths are relative to the top directory.
#
# To add a demo file, list it below and name it in items.sql.

libportico_a_SOURCES += modules/collateral/demo.c

portico_sqldemocollateraldir = $(pkgdatadir)/sql/demo/collateral
dist_portico_sqldemocollateral_DATA = \
	sql/demo/collateral/items.sql \
	sql/demo/collateral/apac-managed-services-playbook.pdf \
	sql/demo/collateral/continuous-close-whitepaper.pdf \
	sql/demo/collateral/harborline-case-study.pdf \
	sql/demo/collateral/ledgerflow-7.2-datasheet.pdf \
	sql/demo/collateral/ledgerflow-7.2-datenblatt.pdf \
	sql/demo/collateral/ledgerflow-architecture.png \
	sql/demo/collateral/ledgerflow-overview-v1.pdf \
	sql/demo/collateral/ledgerflow-overview-v2.pdf \
	sql/demo/collateral/ledgerflow-overview-v3.pdf \
	sql/demo/collateral/ledgerflow-partner-faq-ja.txt \
	sql/demo/collateral/platinum-price-list-2027.pdf \
	sql/demo/collateral/promo-2025-price-sheet.pdf \
	sql/demo/collateral/reconcile-engine-datasheet.pdf
