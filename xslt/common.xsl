<?xml version="1.0" encoding="UTF-8"?>
<!--
  common.xsl - the layout every Portico page imports.

  The core hands each stylesheet one document:

    <page status="200" path="/" request-id="8f3c..." lang="en">
      <site name="Portico" static="/static"/>
      <session csrf="...">               (fcgi/session.c: always, with
        <user id="" login="" name="" ...>   the form token; <user> only
          <role>portal_admin</role>...      when signed in)
        </user></session>
      ...the handler's content...
    </page>

  A page stylesheet imports this file and overrides two templates:

    <xsl:import href="../common.xsl"/>
    <xsl:template match="page" mode="title">Partner program</xsl:template>
    <xsl:template match="page" mode="main"> ...the page body... </xsl:template>

  This file writes everything else: doctype, <html lang>, head (the
  charset declaration, viewport, title "<page title> · <site name>", the stylesheet), skip link,
  header and navigation, <main id="main">, footer.

  Rules for every stylesheet under xslt/ (docs/views.md says why):
   - Every POST form calls the csrf-field template as its first child:
       <form method="post" action="/x"><xsl:call-template name="csrf-field"/>
     The core rejects a state-changing request without a valid token.
   - No style attributes, no <style>, no <script>, no inline event handlers:
     the Content-Security-Policy (default-src 'none'; style-src 'self';
     img-src 'self' data:; form-action 'self'; frame-ancestors 'none';
     base-uri 'none') blocks them, so they would only be dead weight.  All
     presentation lives in static/portico.css.
   - Never switch output escaping off (tests/guards/xml.sh bans the
     attribute): data reaches the page as text, never as markup.
   - Only put URLs the core or a module has checked into href and action.

  To add a navigation entry, add a nav-link call in the header below.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:output method="html" encoding="UTF-8" indent="no"
      doctype-system="about:legacy-compat" media-type="text/html"/>

  <xsl:variable name="site-name">
    <xsl:choose>
      <xsl:when test="normalize-space(/page/site/@name) != ''">
        <xsl:value-of select="normalize-space(/page/site/@name)"/>
      </xsl:when>
      <xsl:otherwise>Portico</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <xsl:variable name="static">
    <xsl:choose>
      <xsl:when test="/page/site/@static">
        <xsl:value-of select="/page/site/@static"/>
      </xsl:when>
      <xsl:otherwise>/static</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <xsl:template match="/">
    <xsl:variable name="title">
      <xsl:apply-templates select="/page" mode="title"/>
    </xsl:variable>
    <html>
      <xsl:attribute name="lang">
        <xsl:choose>
          <xsl:when test="normalize-space(/page/@lang) != ''">
            <xsl:value-of select="normalize-space(/page/@lang)"/>
          </xsl:when>
          <xsl:otherwise>en</xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
      <head>
        <!--
          The charset declaration.  The html output method of libxslt
          inserts <meta http-equiv="Content-Type"> unless one is present, so
          writing it here (rather than <meta charset>) keeps exactly one.
        -->
        <meta http-equiv="Content-Type" content="text/html; charset=utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="color-scheme" content="light dark"/>
        <title>
          <xsl:if test="normalize-space($title) != ''">
            <xsl:value-of select="normalize-space($title)"/>
            <xsl:text> · </xsl:text>
          </xsl:if>
          <xsl:value-of select="$site-name"/>
        </title>
        <link rel="stylesheet" href="{$static}/portico.css"/>
        <!--
          The icon is inline (the CSP allows data: images), so browsers do
          not ask the workers for /favicon.ico on every first visit.
        -->
        <link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='7' fill='%232c4bd1'/%3E%3Cpath fill='%23fff' d='M6 13 16 6l10 7zM8 15h3v9H8zm6.5 0h3v9h-3zM21 15h3v9h-3zM6 25h20v2H6z'/%3E%3C/svg%3E"/>
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to main content</a>
        <xsl:call-template name="site-header"/>
        <main id="main" class="site-main" tabindex="-1">
          <xsl:apply-templates select="/page" mode="main"/>
        </main>
        <xsl:call-template name="site-footer"/>
      </body>
    </html>
  </xsl:template>

  <!-- Page stylesheets override these two. -->
  <xsl:template match="page" mode="title"/>

  <xsl:template match="page" mode="main">
    <div class="container narrow">
      <p>This page has nothing to show yet.</p>
    </div>
  </xsl:template>

  <xsl:template name="site-header">
    <header class="site-header">
      <div class="container header-inner">
        <a class="brand" href="/">
          <span class="brand-mark" aria-hidden="true">
            <xsl:value-of select="substring($site-name, 1, 1)"/>
          </span>
          <span class="brand-name"><xsl:value-of select="$site-name"/></span>
        </a>
        <nav class="site-nav" aria-label="Main">
          <ul>
            <xsl:call-template name="nav-link">
              <xsl:with-param name="href" select="'/'"/>
              <xsl:with-param name="label" select="'Partner program'"/>
            </xsl:call-template>
            <xsl:choose>
              <xsl:when test="/page/session/user">
                <xsl:call-template name="nav-link">
                  <xsl:with-param name="href" select="'/communities'"/>
                  <xsl:with-param name="label" select="'Communities'"/>
                </xsl:call-template>
                <xsl:call-template name="nav-link">
                  <xsl:with-param name="href" select="'/library'"/>
                  <xsl:with-param name="label" select="'Library'"/>
                </xsl:call-template>
                <xsl:call-template name="nav-link">
                  <xsl:with-param name="href" select="'/directory'"/>
                  <xsl:with-param name="label" select="'Directory'"/>
                </xsl:call-template>
                <xsl:call-template name="nav-link">
                  <xsl:with-param name="href" select="'/notifications'"/>
                  <xsl:with-param name="label" select="'Notifications'"/>
                </xsl:call-template>
                <xsl:if test="/page/session/user/role = 'portal_admin'">
                  <xsl:call-template name="nav-link">
                    <xsl:with-param name="href" select="'/admin/lifecycle'"/>
                    <xsl:with-param name="label" select="'Access lifecycle'"/>
                  </xsl:call-template>
                </xsl:if>
                <xsl:if test="/page/session/user/role = 'portal_admin'">
                  <xsl:call-template name="nav-link">
                    <xsl:with-param name="href" select="'/admin/users'"/>
                    <xsl:with-param name="label" select="'Users'"/>
                  </xsl:call-template>
                </xsl:if>
                <li>
                  <a class="nav-link" href="/account">
                    <xsl:value-of select="/page/session/user/@name"/>
                    <xsl:if test="not(string(/page/session/user/@name))">
                      <xsl:value-of select="/page/session/user/@login"/>
                    </xsl:if>
                  </a>
                </li>
                <li>
                  <form class="nav-form" method="post" action="/logout">
                    <xsl:call-template name="csrf-field"/>
                    <button class="button button-quiet" type="submit">Sign out</button>
                  </form>
                </li>
              </xsl:when>
              <!-- The sign-in page itself needs no button to it. -->
              <xsl:when test="/page/@path = '/login' and /page/login"/>
              <xsl:otherwise>
                <li>
                  <a class="button button-small" href="/login">Sign in</a>
                </li>
              </xsl:otherwise>
            </xsl:choose>
          </ul>
        </nav>
      </div>
    </header>
  </xsl:template>

  <!-- One navigation entry; marks the current page for screen readers. -->
  <xsl:template name="nav-link">
    <xsl:param name="href"/>
    <xsl:param name="label"/>
    <li>
      <a class="nav-link" href="{$href}">
        <xsl:if test="/page/@path = $href">
          <xsl:attribute name="aria-current">page</xsl:attribute>
        </xsl:if>
        <xsl:value-of select="$label"/>
      </a>
    </li>
  </xsl:template>

  <xsl:template name="site-footer">
    <footer class="site-footer">
      <div class="container footer-inner">
        <p class="footer-brand">
          <span class="brand-mark brand-mark-small" aria-hidden="true">
            <xsl:value-of select="substring($site-name, 1, 1)"/>
          </span>
          <xsl:value-of select="$site-name"/>
          <span class="footer-sep" aria-hidden="true"> · </span>
          <span class="muted">Partner extranet</span>
        </p>
        <p class="muted">Questions about the program? Your channel manager is happy to help.</p>
      </div>
    </footer>
  </xsl:template>

  <!--
    The anti-CSRF token.  Every <form method="post"> calls this as its
    first child; the core checks the token centrally on PT_CSRF routes.
  -->
  <xsl:template name="csrf-field">
    <input type="hidden" name="csrf" value="{/page/session/@csrf}"/>
  </xsl:template>

  <!--
    Writes text as paragraphs, one per blank-line-separated block, so that
    multi-paragraph text from the database keeps its shape without markup.
    After 100 paragraphs the rest goes into one more, which bounds the
    recursion (libxslt stops at depth 3000) and the copying, whatever the
    text holds.
  -->
  <xsl:template name="paragraphs">
    <xsl:param name="text"/>
    <xsl:param name="class"/>
    <xsl:param name="n" select="1"/>
    <xsl:variable name="t" select="translate($text, '&#13;', '')"/>
    <xsl:variable name="split" select="$n &lt; 100 and contains($t, '&#10;&#10;')"/>
    <xsl:variable name="head">
      <xsl:choose>
        <xsl:when test="$split">
          <xsl:value-of select="substring-before($t, '&#10;&#10;')"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:value-of select="$t"/>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:if test="normalize-space($head) != ''">
      <p>
        <xsl:if test="$class != ''">
          <xsl:attribute name="class"><xsl:value-of select="$class"/></xsl:attribute>
        </xsl:if>
        <xsl:value-of select="normalize-space($head)"/>
      </p>
    </xsl:if>
    <xsl:if test="$split">
      <xsl:call-template name="paragraphs">
        <xsl:with-param name="text" select="substring-after($t, '&#10;&#10;')"/>
        <xsl:with-param name="class" select="$class"/>
        <xsl:with-param name="n" select="$n + 1"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
