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
    <div class="container narrow">
      <div class="page-head coll-head">
        <p class="eyebrow"><a href="/library">Library</a></p>
        <h1>New library item</h1>
        <p class="muted">The file becomes version 1 at a stable link. Files up to
          <xsl:value-of select="$n/@max-upload-mb"/> MB: PDF, PowerPoint, Word,
          Excel, PNG, JPEG, MP4 or plain text.</p>
      </div>
      <form method="post" action="/library/new" enctype="multipart/form-data"
          class="panel coll-form">
        <xsl:call-template name="csrf-field"/>
        <div class="field">
          <label for="f-title">Title</label>
          <input class="input" type="text" id="f-title" name="title" required="required" maxlength="255"/>
        </div>
        <div class="field">
          <label for="f-description">Description</label>
          <textarea class="input" id="f-description" name="description" rows="4"></textarea>
        </div>
        <div class="coll-dates">
          <div class="field">
            <label for="f-kind">Kind</label>
            <select class="input" id="f-kind" name="kind">
              <xsl:for-each select="$n/kinds/kind">
                <option value="{.}"><xsl:value-of select="."/></option>
              </xsl:for-each>
            </select>
          </div>
          <div class="field">
            <label for="f-language">Language</label>
            <input class="input" type="text" id="f-language" name="language" value="en" maxlength="16"/>
          </div>
        </div>
        <div class="field">
          <label for="f-product">Product</label>
          <input class="input" type="text" id="f-product" name="product" maxlength="64"/>
        </div>
        <div class="field">
          <label for="f-tags">Tags</label>
          <span class="field-hint" id="f-tags-hint">Separated by commas.</span>
          <input class="input" type="text" id="f-tags" name="tags" maxlength="512" aria-describedby="f-tags-hint"/>
        </div>
        <fieldset class="field coll-choices">
          <legend>Who is it for?</legend>
          <div class="coll-check">
            <input type="radio" id="f-aud-everyone" name="audience" value="everyone" checked="checked"/>
            <label for="f-aud-everyone">Every partner</label>
          </div>
          <div class="coll-check">
            <input type="radio" id="f-aud-segments" name="audience" value="segments"/>
            <label for="f-aud-segments">Only these segments:</label>
          </div>
          <div class="coll-segments">
            <xsl:for-each select="$n/segments/segment">
              <div class="coll-check">
                <input type="checkbox" id="f-seg-{@id}" name="segment" value="{@id}"/>
                <label for="f-seg-{@id}"><xsl:value-of select="@name"/>
                  <xsl:text> </xsl:text><code class="wrap small"><xsl:value-of select="@rule"/></code></label>
              </div>
            </xsl:for-each>
          </div>
        </fieldset>
        <div class="field">
          <label for="f-expires">Expires on (optional)</label>
          <input class="input" type="date" id="f-expires" name="expires"/>
        </div>
        <div class="field coll-check">
          <input type="checkbox" id="f-history" name="expose_history" value="1"/>
          <label for="f-history">Partners may see and download earlier versions</label>
        </div>
        <div class="field">
          <label for="f-file">File</label>
          <input class="input" type="file" id="f-file" name="file" required="required"/>
        </div>
        <div class="field field-actions">
          <button class="button button-primary" type="submit">Upload</button>
        </div>
      </form>
    </div>
  </xsl:template>

</xsl:stylesheet>
