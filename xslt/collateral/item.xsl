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
  last) and the audience settings.  Every field has its label; styles are
  in the collateral block of static/portico.css.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>

  <xsl:variable name="it" select="/page/item"/>

  <xsl:template match="page" mode="title"><xsl:value-of select="$it/@title"/></xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container coll-item">
      <div class="page-head coll-head">
        <p class="eyebrow"><a href="/library">Library</a></p>
        <h1><xsl:value-of select="$it/@title"/></h1>
        <p class="muted coll-meta">
          <span class="tag"><xsl:value-of select="$it/@kind"/></span>
          <xsl:text> </xsl:text><xsl:value-of select="$it/@language"/>
          <xsl:if test="$it/@product != ''"> · <xsl:value-of select="$it/@product"/></xsl:if>
          · version <xsl:value-of select="$it/@version"/>, updated
          <time datetime="{$it/@updated}"><xsl:value-of select="substring($it/@updated, 1, 10)"/></time>
        </p>
        <xsl:if test="$it/@viewing-as">
          <p class="coll-notice" role="status">Viewing as <xsl:value-of select="$it/@viewing-as"/>.</p>
        </xsl:if>
        <xsl:if test="$it/@downloaded-older">
          <p class="coll-notice" role="status">A new version of <xsl:value-of select="$it/@title"/> is
            available: you downloaded version <xsl:value-of
            select="$it/@downloaded-older"/>.</p>
        </xsl:if>
        <xsl:if test="$it/@manage = 'yes' and $it/@expired = 'yes'">
          <p class="coll-notice coll-notice-expired">Expired on <xsl:value-of
              select="$it/@expires-at"/>: partners no longer see it.</p>
        </xsl:if>
        <xsl:if test="$it/@manage = 'yes' and $it/@needs-review = 'yes'">
          <p class="coll-notice coll-notice-review">Needs review (due <xsl:value-of
              select="$it/@review-at"/>).</p>
        </xsl:if>
      </div>
      <div class="coll-grid">
        <section class="panel coll-main" aria-labelledby="h-about">
          <h2 id="h-about" class="visually-hidden">About this item</h2>
          <xsl:call-template name="paragraphs">
            <xsl:with-param name="text" select="$it/description"/>
          </xsl:call-template>
          <xsl:if test="$it/tags/tag">
            <p class="coll-tags"><span class="muted">Tags:</span>
              <xsl:for-each select="$it/tags/tag">
                <xsl:text> </xsl:text><a class="tag" href="/library?tag={.}"><xsl:value-of select="."/></a>
              </xsl:for-each></p>
          </xsl:if>
        </section>
        <aside class="panel coll-file-card" aria-labelledby="h-file">
          <h2 id="h-file">The file</h2>
          <dl class="facts">
            <dt>Name</dt><dd class="coll-filename"><xsl:value-of select="$it/@filename"/></dd>
            <dt>Size</dt><dd><xsl:value-of select="$it/@size"/> bytes</dd>
            <dt>Version</dt><dd><xsl:value-of select="$it/@version"/></dd>
            <xsl:if test="$it/@manage = 'yes'">
              <dt>Review by</dt><dd><xsl:value-of select="$it/@review-at"/></dd>
              <dt>Expires</dt><dd><xsl:choose><xsl:when test="$it/@expires-at != ''"><xsl:value-of select="$it/@expires-at"/></xsl:when><xsl:otherwise>never</xsl:otherwise></xsl:choose></dd>
            </xsl:if>
          </dl>
          <p><a class="button button-primary button-block" href="/collateral/{$it/@id}/download">Download
            <span class="visually-hidden"><xsl:text> </xsl:text><xsl:value-of select="$it/@filename"/></span></a></p>
          <xsl:if test="$it/@manage = 'yes' or $it/@expose-history = 'yes'">
            <p class="coll-history-link"><a href="/collateral/{$it/@id}/history">Earlier versions</a></p>
          </xsl:if>
        </aside>
      </div>
      <section class="panel" aria-labelledby="h-rate">
        <h2 id="h-rate">Rate this item</h2>
        <form method="post" action="/collateral/{$it/@id}/feedback" class="coll-form">
          <xsl:call-template name="csrf-field"/>
          <div class="field coll-short">
            <label for="f-rating">Rating</label>
            <select class="input" id="f-rating" name="rating">
              <option value="5">5 - very useful</option>
              <option value="4">4</option>
              <option value="3">3</option>
              <option value="2">2</option>
              <option value="1">1 - not useful</option>
            </select>
          </div>
          <div class="field">
            <label for="f-comment">Comment</label>
            <span class="field-hint" id="f-comment-hint">The owner of the item reads it.</span>
            <textarea class="input" id="f-comment" name="comment" rows="3" aria-describedby="f-comment-hint"></textarea>
          </div>
          <div class="field field-actions">
            <button class="button button-primary" type="submit">Send feedback</button>
          </div>
        </form>
      </section>
      <xsl:if test="$it/feedback">
        <section class="panel" aria-labelledby="h-feedback">
          <h2 id="h-feedback">Feedback</h2>
          <xsl:if test="not($it/feedback/entry)"><p class="muted">No feedback yet.</p></xsl:if>
          <xsl:if test="$it/feedback/entry">
            <ul class="coll-feedback">
              <xsl:for-each select="$it/feedback/entry">
                <li><span class="count"><xsl:value-of select="@rating"/>/5</span>
                  <xsl:text> </xsl:text><strong><xsl:value-of select="@by"/></strong>
                  <xsl:text> </xsl:text><span class="muted small"><xsl:value-of select="@date"/></span>
                  <xsl:if test="normalize-space(.) != ''"><p><xsl:value-of select="."/></p></xsl:if></li>
              </xsl:for-each>
            </ul>
          </xsl:if>
        </section>
      </xsl:if>
      <xsl:if test="$it/@manage = 'yes'">
        <section class="panel" aria-labelledby="h-upload">
          <h2 id="h-upload">Upload a new version</h2>
          <form method="post" action="/collateral/{$it/@id}/versions"
              enctype="multipart/form-data" class="coll-form">
            <xsl:call-template name="csrf-field"/>
            <div class="field">
              <label for="f-file">File</label>
              <span class="field-hint" id="f-file-hint">It becomes the current version at this item's link at once; the current one moves to the history.</span>
              <input class="input" type="file" id="f-file" name="file" required="required" aria-describedby="f-file-hint"/>
            </div>
            <div class="field field-actions">
              <button class="button button-primary" type="submit">Upload</button>
            </div>
          </form>
        </section>
        <section class="panel" aria-labelledby="h-settings">
          <h2 id="h-settings">Audience and dates</h2>
          <form method="post" action="/collateral/{$it/@id}/settings" class="coll-form">
            <xsl:call-template name="csrf-field"/>
            <fieldset class="field coll-choices">
              <legend>Who is it for?</legend>
              <div class="coll-check">
                <input type="radio" id="f-aud-everyone" name="audience" value="everyone">
                  <xsl:if test="$it/@audience = 'everyone'"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
                </input>
                <label for="f-aud-everyone">Every partner</label>
              </div>
              <div class="coll-check">
                <input type="radio" id="f-aud-segments" name="audience" value="segments">
                  <xsl:if test="$it/@audience = 'segments'"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
                </input>
                <label for="f-aud-segments">Only these segments:</label>
              </div>
              <div class="coll-segments">
                <xsl:for-each select="$it/segments/segment">
                  <div class="coll-check">
                    <input type="checkbox" id="f-seg-{@id}" name="segment" value="{@id}">
                      <xsl:if test="$it/targets/segment = current()/@id"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
                    </input>
                    <label for="f-seg-{@id}"><xsl:value-of select="@name"/>
                      <xsl:text> </xsl:text><code class="wrap small"><xsl:value-of select="@rule"/></code></label>
                  </div>
                </xsl:for-each>
              </div>
            </fieldset>
            <div class="coll-dates">
              <div class="field">
                <label for="f-review">Review by</label>
                <input class="input" type="date" id="f-review" name="review" value="{$it/@review-at}"/>
              </div>
              <div class="field">
                <label for="f-expires">Expires on</label>
                <input class="input" type="date" id="f-expires" name="expires" value="{$it/@expires-at}"/>
              </div>
            </div>
            <div class="field coll-check">
              <input type="checkbox" id="f-history" name="expose_history" value="1">
                <xsl:if test="$it/@expose-history = 'yes'"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
              </input>
              <label for="f-history">Partners may see earlier versions</label>
            </div>
            <div class="field field-actions">
              <button class="button button-primary" type="submit">Save</button>
            </div>
          </form>
        </section>
      </xsl:if>
    </div>
  </xsl:template>

</xsl:stylesheet>
