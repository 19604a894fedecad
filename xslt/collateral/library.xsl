<?xml version="1.0" encoding="UTF-8"?>
<!--
  collateral/library.xsl - the library at /library
  (modules/collateral/library.c).

  Input, inside the core's <page> envelope:
    <library kind="" product="" language="" tag="" days=""? overdue="yes"?
        viewing-as="slug"? manage="yes"? next="t.id"?>
      <item id="" title="" kind="" language="" product="" updated=""
          version="" filename="" size="" needs-review="yes"? expired="yes"?/>...
      <notices><new-version id="" title="" version="" downloaded=""/>...</notices>
    </library>

  A GET form of filters, the notices "a new version of X you downloaded
  is available", the items (50 a page, "Older" links to ?after=next), and
  for managers the "view as" box, the overdue filter and the links to add
  items and edit segments.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>

  <xsl:variable name="l" select="/page/library"/>

  <xsl:template match="page" mode="title">Library</xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container">
      <div class="page-head">
        <h1>Library</h1>
        <xsl:if test="$l/@viewing-as">
          <p class="notice">Viewing the library as <xsl:value-of select="$l/@viewing-as"/>.</p>
        </xsl:if>
        <xsl:if test="$l/@manage = 'yes'">
          <p><a class="button" href="/library/new">New item</a>
            <xsl:text> </xsl:text><a href="/segments">Segments</a>
            <xsl:text> </xsl:text><a href="/library?overdue=1">My items that need review</a></p>
        </xsl:if>
      </div>
      <xsl:for-each select="$l/notices/new-version">
        <p class="notice">A new version of <a href="/collateral/{@id}"><xsl:value-of
            select="@title"/></a> you downloaded is available (version
          <xsl:value-of select="@version"/>; you have <xsl:value-of select="@downloaded"/>).</p>
      </xsl:for-each>
      <form method="get" action="/library" class="panel filters">
        <label>Kind <input type="text" name="kind" value="{$l/@kind}"/></label>
        <label>Product <input type="text" name="product" value="{$l/@product}"/></label>
        <label>Language <input type="text" name="language" value="{$l/@language}"/></label>
        <label>Tag <input type="text" name="tag" value="{$l/@tag}"/></label>
        <label>New or updated in the last <input type="number" name="days"
            min="1" value="{$l/@days}"/> days</label>
        <xsl:if test="/page/session/user/role = 'content_manager' or /page/session/user/role = 'portal_admin' or $l/@viewing-as">
          <label>View as organisation <input type="text" name="as" value="{$l/@viewing-as}"/></label>
        </xsl:if>
        <button type="submit">Filter</button>
      </form>
      <xsl:choose>
        <xsl:when test="$l/item">
          <table class="table">
            <thead><tr><th>Title</th><th>Kind</th><th>Product</th><th>Updated</th><th>Version</th></tr></thead>
            <tbody>
              <xsl:for-each select="$l/item">
                <tr>
                  <td data-label="Title"><a href="/collateral/{@id}">
                    <xsl:if test="$l/@viewing-as">
                      <xsl:attribute name="href"><xsl:value-of select="concat('/collateral/', @id, '?as=', $l/@viewing-as)"/></xsl:attribute>
                    </xsl:if>
                    <xsl:value-of select="@title"/></a>
                    <xsl:if test="@needs-review = 'yes'"> <span class="badge">needs review</span></xsl:if>
                    <xsl:if test="@expired = 'yes'"> <span class="badge">expired</span></xsl:if></td>
                  <td data-label="Kind"><xsl:value-of select="@kind"/></td>
                  <td data-label="Product"><xsl:value-of select="@product"/></td>
                  <td data-label="Updated"><xsl:value-of select="@updated"/></td>
                  <td data-label="Version"><xsl:value-of select="@version"/></td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
          <xsl:if test="$l/@next">
            <p><a href="/library?after={$l/@next}&amp;kind={$l/@kind}&amp;product={$l/@product}&amp;language={$l/@language}&amp;tag={$l/@tag}&amp;days={$l/@days}">Older items</a></p>
          </xsl:if>
        </xsl:when>
        <xsl:otherwise><p class="muted">Nothing in the library matches.</p></xsl:otherwise>
      </xsl:choose>
    </div>
  </xsl:template>

</xsl:stylesheet>
