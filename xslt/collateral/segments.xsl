<?xml version="1.0" encoding="UTF-8"?>
<!--
  collateral/segments.xsl - segments at /segments
  (modules/collateral/library.c, content managers): the named rules that
  library items target.

  Input, inside the core's <page> envelope:
    <segments><segment id="" name="" rule="" items=""/>...</segments>
    <segment-form name="" rule="" error=""/>   (after a refused rule)

  The rule language is documented in modules/collateral/segments.c, e.g.
  tier = platinum and (region = EMEA or not type = msp).  Saving a name
  that exists replaces its rule.  Every form posts with its CSRF field.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>

  <xsl:variable name="f" select="/page/segment-form"/>

  <xsl:template match="page" mode="title">Segments</xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container">
      <div class="page-head coll-head">
        <p class="eyebrow"><a href="/library">Library</a></p>
        <h1>Segments</h1>
        <p class="muted">Named rules that library items are targeted at: conditions on tier, type,
          region, industry, org and group, combined with and, or, not and parentheses.</p>
      </div>
      <xsl:choose>
        <xsl:when test="/page/segments/segment">
          <table class="table stack coll-table">
            <caption class="visually-hidden">Segments</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Rule</th><th scope="col">Items</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              <xsl:for-each select="/page/segments/segment">
                <tr>
                  <td data-label="Name"><strong><xsl:value-of select="@name"/></strong></td>
                  <td data-label="Rule"><code class="wrap"><xsl:value-of select="@rule"/></code></td>
                  <td data-label="Items"><xsl:value-of select="@items"/></td>
                  <td class="cell-action">
                    <form method="post" action="/segments/{@id}/delete">
                      <xsl:call-template name="csrf-field"/>
                      <button class="button button-small" type="submit">Delete<span class="visually-hidden"> <xsl:value-of select="@name"/></span></button>
                    </form>
                  </td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </xsl:when>
        <xsl:otherwise>
          <div class="empty-state"><p class="empty-title">No segments yet.</p></div>
        </xsl:otherwise>
      </xsl:choose>
      <form method="post" action="/segments" class="panel coll-form">
        <xsl:call-template name="csrf-field"/>
        <h2>Add or change a segment</h2>
        <xsl:if test="$f/@error">
          <div class="error-summary" role="alert">
            <p><a href="#f-rule">The rule is not valid: <xsl:value-of select="$f/@error"/></a></p>
          </div>
        </xsl:if>
        <div class="field">
          <label for="f-name">Name</label>
          <span class="field-hint" id="f-name-hint">Saving a name that exists replaces its rule.</span>
          <input class="input" type="text" id="f-name" name="name" required="required"
              maxlength="128" value="{$f/@name}" aria-describedby="f-name-hint"/>
        </div>
        <div class="field">
          <label for="f-rule">Rule</label>
          <span class="field-hint" id="f-rule-hint">For example <code>tier = platinum and (region = EMEA or not type = msp)</code></span>
          <input class="input coll-mono" type="text" id="f-rule" name="rule" required="required"
              value="{$f/@rule}" aria-describedby="f-rule-hint">
            <xsl:if test="$f/@error"><xsl:attribute name="aria-invalid">true</xsl:attribute></xsl:if>
          </input>
        </div>
        <div class="field field-actions">
          <button class="button button-primary" type="submit">Save</button>
        </div>
      </form>
    </div>
  </xsl:template>

</xsl:stylesheet>
