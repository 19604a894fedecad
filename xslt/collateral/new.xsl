<?xml version="1.0" encoding="UTF-8"?>
<!--
  collateral/new.xsl - "New library item" at /library/new
  (modules/collateral/collateral.c, content managers).

  Input, inside the core's <page> envelope:
    <collateral-new max-upload-mb="512" review-days="365">
      <kinds><kind>presentation</kind>...</kinds>
      <segments><segment id="" name="" rule=""/>...</segments>
    </collateral-new>

  One multipart form.  The CSRF field and every text field come BEFORE the
  file input: the core reads the fields (and checks the token) before any
  byte of the file is accepted, and refuses fields after the file.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>

  <xsl:variable name="n" select="/page/collateral-new"/>

  <xsl:template match="page" mode="title">New library item</xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container">
      <div class="page-head">
        <h1>New library item</h1>
        <p class="muted">The file becomes version 1 at a stable link. Files up to
          <xsl:value-of select="$n/@max-upload-mb"/> MB: PDF, PowerPoint, Word,
          Excel, PNG, JPEG, MP4 or plain text.</p>
      </div>
      <form method="post" action="/library/new" enctype="multipart/form-data"
          class="panel">
        <xsl:call-template name="csrf-field"/>
        <label>Title <input type="text" name="title" required="required"
            maxlength="255"/></label>
        <label>Description <textarea name="description" rows="4"></textarea></label>
        <label>Kind
          <select name="kind">
            <xsl:for-each select="$n/kinds/kind">
              <option value="{.}"><xsl:value-of select="."/></option>
            </xsl:for-each>
          </select>
        </label>
        <label>Language <input type="text" name="language" value="en"
            maxlength="16"/></label>
        <label>Product <input type="text" name="product" maxlength="64"/></label>
        <label>Tags (comma-separated) <input type="text" name="tags"
            maxlength="512"/></label>
        <fieldset>
          <legend>Who is it for?</legend>
          <label><input type="radio" name="audience" value="everyone"
              checked="checked"/> Every partner</label>
          <label><input type="radio" name="audience" value="segments"/> Only
            these segments:</label>
          <xsl:for-each select="$n/segments/segment">
            <label><input type="checkbox" name="segment" value="{@id}"/>
              <xsl:text> </xsl:text><xsl:value-of select="@name"/>
              <xsl:text> </xsl:text><code><xsl:value-of select="@rule"/></code></label>
          </xsl:for-each>
        </fieldset>
        <label>Expires on (optional) <input type="date" name="expires"/></label>
        <label><input type="checkbox" name="expose_history" value="1"/> Partners
          may see and download earlier versions</label>
        <label>File <input type="file" name="file" required="required"/></label>
        <button type="submit">Upload</button>
      </form>
    </div>
  </xsl:template>

</xsl:stylesheet>
