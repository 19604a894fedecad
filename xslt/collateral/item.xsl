<?xml version="1.0" encoding="UTF-8"?>
<!--
  collateral/item.xsl - one library item at its stable URL /collateral/{id}
  (modules/collateral/collateral.c).

  Input, inside the core's <page> envelope:
    <item id="" title="" kind="" language="" product="" audience=""
        review-at="" expires-at="" updated="" version="" filename=""
        content-type="" size="" expose-history="yes"? expired="yes"?
        needs-review="yes"? manage="yes"? viewing-as="slug"?
        downloaded-older="N"?>
      <description/>
      <tags><tag/>...</tags>
      (manage or owner:) <feedback><entry rating="" by="" date="">text</entry>...</feedback>
      <targets><segment>id</segment>...</targets>
      <segments><segment id="" name="" rule=""/>...</segments>
    </item>

  Partners see the current version and its download link (and the history
  link when the item exposes it); managers also see "needs review" and
  "expired", the upload form for a new version (CSRF field first, file
  last) and the audience settings.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>

  <xsl:variable name="it" select="/page/item"/>

  <xsl:template match="page" mode="title"><xsl:value-of select="$it/@title"/></xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container">
      <div class="page-head">
        <h1><xsl:value-of select="$it/@title"/></h1>
        <p class="muted">
          <xsl:value-of select="$it/@kind"/> · <xsl:value-of select="$it/@language"/>
          <xsl:if test="$it/@product != ''"> · <xsl:value-of select="$it/@product"/></xsl:if>
          · version <xsl:value-of select="$it/@version"/>, updated
          <xsl:value-of select="$it/@updated"/>
        </p>
        <xsl:if test="$it/@viewing-as">
          <p class="notice">Viewing as <xsl:value-of select="$it/@viewing-as"/>.</p>
        </xsl:if>
        <xsl:if test="$it/@downloaded-older">
          <p class="notice">A new version of <xsl:value-of select="$it/@title"/> is
            available: you downloaded version <xsl:value-of
            select="$it/@downloaded-older"/>.</p>
        </xsl:if>
        <xsl:if test="$it/@manage = 'yes' and $it/@expired = 'yes'">
          <p class="notice status-expired">Expired on <xsl:value-of
              select="$it/@expires-at"/>: partners no longer see it.</p>
        </xsl:if>
        <xsl:if test="$it/@manage = 'yes' and $it/@needs-review = 'yes'">
          <p class="notice status-review">Needs review (due <xsl:value-of
              select="$it/@review-at"/>).</p>
        </xsl:if>
      </div>
      <section class="panel">
        <xsl:call-template name="paragraphs">
          <xsl:with-param name="text" select="$it/description"/>
        </xsl:call-template>
        <xsl:if test="$it/tags/tag">
          <p>Tags: <xsl:for-each select="$it/tags/tag">
            <xsl:if test="position() &gt; 1">, </xsl:if>
            <xsl:value-of select="."/></xsl:for-each></p>
        </xsl:if>
        <p><a class="button" href="/collateral/{$it/@id}/download">Download
          <xsl:value-of select="$it/@filename"/></a>
          (<xsl:value-of select="$it/@size"/> bytes)</p>
        <xsl:if test="$it/@manage = 'yes' or $it/@expose-history = 'yes'">
          <p><a href="/collateral/{$it/@id}/history">Earlier versions</a></p>
        </xsl:if>
      </section>
      <section class="panel">
        <h2>Rate this item</h2>
        <form method="post" action="/collateral/{$it/@id}/feedback">
          <xsl:call-template name="csrf-field"/>
          <label>Rating
            <select name="rating">
              <option value="5">5 - very useful</option>
              <option value="4">4</option>
              <option value="3">3</option>
              <option value="2">2</option>
              <option value="1">1 - not useful</option>
            </select>
          </label>
          <label>Comment <textarea name="comment" rows="3"></textarea></label>
          <button type="submit">Send feedback</button>
        </form>
      </section>
      <xsl:if test="$it/feedback">
        <section class="panel">
          <h2>Feedback</h2>
          <xsl:if test="not($it/feedback/entry)"><p class="muted">No feedback yet.</p></xsl:if>
          <ul>
            <xsl:for-each select="$it/feedback/entry">
              <li><xsl:value-of select="@rating"/>/5 by <xsl:value-of select="@by"/>
                (<xsl:value-of select="@date"/>): <xsl:value-of select="."/></li>
            </xsl:for-each>
          </ul>
        </section>
      </xsl:if>
      <xsl:if test="$it/@manage = 'yes'">
        <section class="panel">
          <h2>Upload a new version</h2>
          <form method="post" action="/collateral/{$it/@id}/versions"
              enctype="multipart/form-data">
            <xsl:call-template name="csrf-field"/>
            <label>File <input type="file" name="file" required="required"/></label>
            <button type="submit">Upload</button>
          </form>
        </section>
        <section class="panel">
          <h2>Audience and dates</h2>
          <form method="post" action="/collateral/{$it/@id}/settings">
            <xsl:call-template name="csrf-field"/>
            <label><input type="radio" name="audience" value="everyone">
              <xsl:if test="$it/@audience = 'everyone'"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
            </input> Every partner</label>
            <label><input type="radio" name="audience" value="segments">
              <xsl:if test="$it/@audience = 'segments'"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
            </input> Only these segments:</label>
            <xsl:for-each select="$it/segments/segment">
              <label><input type="checkbox" name="segment" value="{@id}">
                <xsl:if test="$it/targets/segment = current()/@id"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
              </input><xsl:text> </xsl:text><xsl:value-of select="@name"/></label>
            </xsl:for-each>
            <label>Review by <input type="date" name="review" value="{$it/@review-at}"/></label>
            <label>Expires on <input type="date" name="expires" value="{$it/@expires-at}"/></label>
            <label><input type="checkbox" name="expose_history" value="1">
              <xsl:if test="$it/@expose-history = 'yes'"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
            </input> Partners may see earlier versions</label>
            <button type="submit">Save</button>
          </form>
        </section>
      </xsl:if>
    </div>
  </xsl:template>

</xsl:stylesheet>
