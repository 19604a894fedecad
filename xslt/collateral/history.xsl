<?xml version="1.0" encoding="UTF-8"?>
<!--
  collateral/history.xsl - the versions of an item at
  /collateral/{id}/history (modules/collateral/collateral.c): managers
  always, partners when the item exposes its history.

  Input, inside the core's <page> envelope:
    <item id="" title="" version="" manage="yes"? ...>
      <versions><version number="" sha256="" size="" content-type=""
          filename="" uploaded="" by="" restored-from=""? current="yes"?/>...
      </versions>
    </item>

  Each version links to its download; managers get a Restore button (a
  POST form with the CSRF field) on every version but the current one.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>

  <xsl:variable name="it" select="/page/item"/>

  <xsl:template match="page" mode="title">History: <xsl:value-of select="$it/@title"/></xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container">
      <div class="page-head">
        <h1>History of <a href="/collateral/{$it/@id}"><xsl:value-of select="$it/@title"/></a></h1>
      </div>
      <table class="table">
        <thead><tr><th>Version</th><th>File</th><th>Uploaded</th><th></th></tr></thead>
        <tbody>
          <xsl:for-each select="$it/versions/version">
            <tr>
              <td data-label="Version"><xsl:value-of select="@number"/>
                <xsl:if test="@current = 'yes'"> (current)</xsl:if>
                <xsl:if test="@restored-from"> (restored from <xsl:value-of select="@restored-from"/>)</xsl:if></td>
              <td data-label="File"><a href="/collateral/{$it/@id}/versions/{@number}/download"><xsl:value-of select="@filename"/></a>
                (<xsl:value-of select="@size"/> bytes)</td>
              <td data-label="Uploaded"><xsl:value-of select="@uploaded"/><xsl:text> </xsl:text><xsl:value-of select="@by"/></td>
              <td>
                <xsl:if test="$it/@manage = 'yes' and not(@current = 'yes')">
                  <form method="post" action="/collateral/{$it/@id}/versions/{@number}/restore">
                    <xsl:call-template name="csrf-field"/>
                    <button type="submit">Restore</button>
                  </form>
                </xsl:if>
              </td>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
    </div>
  </xsl:template>

</xsl:stylesheet>
