# xslt/local.mk - the stylesheets and the static assets, included by
# Makefile.am; paths are relative to the top directory.
#
# `make install` puts them in $(pkgdatadir) (/usr/share/portico for a
# Debian package), keeping the tree: $(pkgdatadir)/xslt/home/index.xsl,
# $(pkgdatadir)/static/portico.css.  xslt_dir in portico.conf points at the
# first, the web server serves the second (conf/nginx, conf/apache).  The
# nobase_ prefix keeps each file's subdirectory; dist_ ships them in the
# tarball.
#
# Automake has no wildcards: to add a page, add its stylesheet to
# PT_XSLT_FILES (and its route's xsl field names it relative to xslt/).
# A static asset goes in PT_STATIC_FILES.

PT_XSLT_FILES = \
	xslt/common.xsl \
	xslt/error.xsl \
	xslt/auth/account.xsl \
	xslt/auth/admin_users.xsl \
	xslt/auth/login.xsl \
	xslt/auth/roles.xsl \
	xslt/home/index.xsl \
	xslt/mail/lifecycle-disabled.xsl \
	xslt/mail/lifecycle-warning.xsl \
	xslt/mail/test.xsl

PT_STATIC_FILES = \
	static/portico.css

portico_sharedir = $(pkgdatadir)
nobase_dist_portico_share_DATA = $(PT_XSLT_FILES) $(PT_STATIC_FILES)
