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

  A GET form of filters (role search, a label for every field; the kinds
  are those of collateral_items.kind), the notices "a new version of X
  you downloaded is available", the items as a table that becomes one
  card per item on a phone (50 a page, "Older items" links to
  ?after=next), and for managers the "view as" field, the overdue filter
  and the links to add items and edit segments.  Styles: the collateral
  block of static/portico.css.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>

  <xsl:variable name="l" select="/page/library"/>

  <xsl:template match="page" mode="title">Library</xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container">
      <div class="page-head coll-head">
        <h1>Library</h1>
        <p class="muted">Sales material from Halvard: always the current version at the same link.</p>
        <xsl:if test="$l/@viewing-as">
          <p class="coll-notice" role="status">Viewing the library as <strong><xsl:value-of select="$l/@viewing-as"/></strong>
            sees it. <a href="/library">Stop previewing</a></p>
        </xsl:if>
        <xsl:if test="$l/@manage = 'yes'">
          <p class="actions coll-actions">
            <a class="button button-primary" href="/library/new">New item</a>
            <a class="button button-secondary" href="/segments">Segments</a>
            <a class="button button-secondary" href="/library?overdue=1">My items that need review</a>
          </p>
        </xsl:if>
      </div>
      <xsl:for-each select="$l/notices/new-version">
        <p class="coll-notice" role="status">A new version of <a href="/collateral/{@id}"><xsl:value-of
            select="@title"/></a> you downloaded is available (version
          <xsl:value-of select="@version"/>; you have <xsl:value-of select="@downloaded"/>).</p>
      </xsl:for-each>
      <form method="get" action="/library" class="filters coll-filters" role="search" aria-label="Filter the library">
        <div class="field">
          <label for="f-kind">Kind</label>
          <select class="input" id="f-kind" name="kind">
            <xsl:call-template name="kind-option"><xsl:with-param name="value" select="''"/><xsl:with-param name="label" select="'Any kind'"/></xsl:call-template>
            <xsl:call-template name="kind-option"><xsl:with-param name="value" select="'presentation'"/></xsl:call-template>
            <xsl:call-template name="kind-option"><xsl:with-param name="value" select="'datasheet'"/></xsl:call-template>
            <xsl:call-template name="kind-option"><xsl:with-param name="value" select="'price-list'"/></xsl:call-template>
            <xsl:call-template name="kind-option"><xsl:with-param name="value" select="'playbook'"/></xsl:call-template>
            <xsl:call-template name="kind-option"><xsl:with-param name="value" select="'video'"/></xsl:call-template>
            <xsl:call-template name="kind-option"><xsl:with-param name="value" select="'case-study'"/></xsl:call-template>
            <xsl:call-template name="kind-option"><xsl:with-param name="value" select="'whitepaper'"/></xsl:call-template>
            <xsl:call-template name="kind-option"><xsl:with-param name="value" select="'other'"/></xsl:call-template>
          </select>
        </div>
        <div class="field field-grow">
          <label for="f-product">Product</label>
          <input class="input" type="text" id="f-product" name="product" value="{$l/@product}" maxlength="64"/>
        </div>
        <div class="field coll-short">
          <label for="f-language">Language</label>
          <input class="input" type="text" id="f-language" name="language" value="{$l/@language}" maxlength="16"/>
        </div>
        <div class="field field-grow">
          <label for="f-tag">Tag</label>
          <input class="input" type="text" id="f-tag" name="tag" value="{$l/@tag}" maxlength="64"/>
        </div>
        <div class="field coll-short">
          <label for="f-days">Updated within</label>
          <span class="coll-unit">
            <input class="input" type="number" id="f-days" name="days" min="1" max="36500" value="{$l/@days}"
                aria-describedby="f-days-unit"/>
            <span id="f-days-unit">days</span>
          </span>
        </div>
        <xsl:if test="/page/session/user/role = 'content_manager' or /page/session/user/role = 'portal_admin' or $l/@viewing-as">
          <div class="field field-grow coll-as">
            <label for="f-as">View as organisation</label>
            <span class="field-hint" id="f-as-hint">Its address, e.g. kestrel-cloud: the library as its people see it.</span>
            <input class="input" type="text" id="f-as" name="as" value="{$l/@viewing-as}" maxlength="64"
                aria-describedby="f-as-hint"/>
          </div>
        </xsl:if>
        <div class="field field-actions">
          <button class="button button-primary" type="submit">Filter</button>
          <a class="button button-quiet" href="/library">Clear</a>
        </div>
      </form>
      <xsl:choose>
        <xsl:when test="$l/item">
          <table class="table stack coll-table">
            <caption class="visually-hidden">Library items, newest first</caption>
            <thead><tr><th scope="col">Title</th><th scope="col">Kind</th><th scope="col">Product</th><th scope="col">Language</th><th scope="col">Updated</th><th scope="col">Version</th></tr></thead>
            <tbody>
              <xsl:for-each select="$l/item">
                <tr>
                  <td class="coll-title"><a href="/collateral/{@id}">
                    <xsl:if test="$l/@viewing-as">
                      <xsl:attribute name="href"><xsl:value-of select="concat('/collateral/', @id, '?as=', $l/@viewing-as)"/></xsl:attribute>
                    </xsl:if>
                    <xsl:value-of select="@title"/></a>
                    <xsl:if test="@needs-review = 'yes'"><xsl:text> </xsl:text><span class="status coll-review">needs review</span></xsl:if>
                    <xsl:if test="@expired = 'yes'"><xsl:text> </xsl:text><span class="status coll-expired">expired</span></xsl:if>
                    <span class="coll-file"><xsl:value-of select="@filename"/> · <xsl:call-template name="coll-size"><xsl:with-param name="bytes" select="@size"/></xsl:call-template></span></td>
                  <td data-label="Kind"><span class="tag"><xsl:value-of select="@kind"/></span></td>
                  <td data-label="Product"><xsl:value-of select="@product"/></td>
                  <td data-label="Language"><xsl:value-of select="@language"/></td>
                  <td data-label="Updated" class="nowrap"><time datetime="{@updated}"><xsl:value-of select="substring(@updated, 1, 10)"/></time></td>
                  <td data-label="Version"><xsl:value-of select="@version"/></td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
          <xsl:if test="$l/@next">
            <p class="pager"><a class="button button-secondary" href="/library?after={$l/@next}&amp;kind={$l/@kind}&amp;product={$l/@product}&amp;language={$l/@language}&amp;tag={$l/@tag}&amp;days={$l/@days}">Older items</a></p>
          </xsl:if>
        </xsl:when>
        <xsl:otherwise>
          <div class="empty-state">
            <p class="empty-title">Nothing in the library matches.</p>
            <p><a href="/library">Show everything</a></p>
          </div>
        </xsl:otherwise>
      </xsl:choose>
    </div>
  </xsl:template>

  <xsl:template name="kind-option">
    <xsl:param name="value"/>
    <xsl:param name="label" select="$value"/>
    <option value="{$value}">
      <xsl:if test="string($l/@kind) = $value"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
      <xsl:value-of select="$label"/>
    </option>
  </xsl:template>

  <!-- A size for people: bytes, kB or MB (1000s, one decimal). -->
  <xsl:template name="coll-size">
    <xsl:param name="bytes"/>
    <xsl:choose>
      <xsl:when test="$bytes &lt; 1000"><xsl:value-of select="$bytes"/> bytes</xsl:when>
      <xsl:when test="$bytes &lt; 1000000"><xsl:value-of select="format-number($bytes div 1000, '0.#')"/> kB</xsl:when>
      <xsl:otherwise><xsl:value-of select="format-number($bytes div 1000000, '0.#')"/> MB</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
