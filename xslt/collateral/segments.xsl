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
      <div class="page-head">
        <h1>Segments</h1>
        <p class="muted">Conditions on tier, type, region, industry, org and
          group, combined with and, or, not and parentheses.</p>
      </div>
      <table class="table">
        <thead><tr><th>Name</th><th>Rule</th><th>Items</th><th></th></tr></thead>
        <tbody>
          <xsl:for-each select="/page/segments/segment">
            <tr>
              <td data-label="Name"><xsl:value-of select="@name"/></td>
              <td data-label="Rule"><code><xsl:value-of select="@rule"/></code></td>
              <td data-label="Items"><xsl:value-of select="@items"/></td>
              <td>
                <form method="post" action="/segments/{@id}/delete">
                  <xsl:call-template name="csrf-field"/>
                  <button type="submit">Delete</button>
                </form>
              </td>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
      <form method="post" action="/segments" class="panel">
        <xsl:call-template name="csrf-field"/>
        <h2>Add or change a segment</h2>
        <xsl:if test="$f/@error">
          <p class="error">The rule is not valid: <xsl:value-of select="$f/@error"/></p>
        </xsl:if>
        <label>Name <input type="text" name="name" required="required"
            maxlength="128" value="{$f/@name}"/></label>
        <label>Rule <input type="text" name="rule" required="required"
            value="{$f/@rule}"/></label>
        <button type="submit">Save</button>
      </form>
    </div>
  </xsl:template>

</xsl:stylesheet>
