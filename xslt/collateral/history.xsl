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
      <div class="page-head coll-head">
        <p class="eyebrow"><a href="/collateral/{$it/@id}"><xsl:value-of select="$it/@title"/></a></p>
        <h1>Version history</h1>
        <p class="muted">Every version stays here; the item's link always serves the current one.
          <xsl:if test="$it/@manage = 'yes'"> Restoring a version makes a copy of it the new current version.</xsl:if></p>
      </div>
      <table class="table stack coll-table">
        <caption class="visually-hidden">Versions of <xsl:value-of select="$it/@title"/>, newest first</caption>
        <thead><tr><th scope="col">Version</th><th scope="col">File</th><th scope="col">Uploaded</th>
          <xsl:if test="$it/@manage = 'yes'"><th scope="col"><span class="visually-hidden">Actions</span></th></xsl:if></tr></thead>
        <tbody>
          <xsl:for-each select="$it/versions/version">
            <tr>
              <xsl:if test="@current = 'yes'"><xsl:attribute name="class">current</xsl:attribute></xsl:if>
              <td data-label="Version"><strong><xsl:value-of select="@number"/></strong>
                <xsl:if test="@current = 'yes'"><xsl:text> </xsl:text><span class="badge-current">current</span></xsl:if>
                <xsl:if test="@restored-from"><span class="coll-file">restored from <xsl:value-of select="@restored-from"/></span></xsl:if></td>
              <td data-label="File" class="coll-title"><a href="/collateral/{$it/@id}/versions/{@number}/download"><xsl:value-of select="@filename"/></a>
                <span class="coll-file"><xsl:value-of select="@size"/> bytes</span></td>
              <td data-label="Uploaded"><time datetime="{@uploaded}"><xsl:value-of select="substring(@uploaded, 1, 10)"/></time>
                <xsl:if test="@by != ''"><span class="coll-file">by <xsl:value-of select="@by"/></span></xsl:if></td>
              <xsl:if test="$it/@manage = 'yes'">
                <td class="cell-action">
                  <xsl:if test="not(@current = 'yes')">
                    <form method="post" action="/collateral/{$it/@id}/versions/{@number}/restore">
                      <xsl:call-template name="csrf-field"/>
                      <button class="button button-small" type="submit">Restore<span class="visually-hidden"> version <xsl:value-of select="@number"/></span></button>
                    </form>
                  </xsl:if>
                </td>
              </xsl:if>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
    </div>
  </xsl:template>

</xsl:stylesheet>
