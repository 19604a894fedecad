<?xml version="1.0" encoding="UTF-8"?>
<!--
  communities/feed-token.xsl - the reader's feed token at
  /account/feed-token (modules/communities/feed.c).

  Input, inside the core's <page> envelope:

    <feed-token exists="yes" created="" token=""/>

  Only a hash of the token is stored, so the token itself is shown once,
  right after it is made (token attribute, POST).  Making a new one revokes
  the old one; the button posts with the CSRF field.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>

  <xsl:variable name="ft" select="/page/feed-token"/>

  <xsl:template match="page" mode="title">Feed token</xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container narrow">
      <div class="page-head">
        <p class="eyebrow"><a href="/account">Your account</a></p>
        <h1>Feed token</h1>
        <p class="muted">A feed reader that cannot sign in can read the Atom feeds of your communities with this token: add <code>?token=…</code> to a community's feed address, e.g. <code>/c/community-name/feed.atom?token=…</code>. Anyone holding it can read what you can read in those feeds, so keep it private.</p>
      </div>
      <section class="panel">
        <xsl:choose>
          <xsl:when test="$ft/@token">
            <p><strong>Your new token</strong> (shown only now; copy it):</p>
            <p><code class="wrap feed-token"><xsl:value-of select="$ft/@token"/></code></p>
            <p class="muted small">Any earlier token no longer works.</p>
          </xsl:when>
          <xsl:when test="$ft/@exists = 'yes'">
            <p>
              <xsl:text>You have a feed token, made </xsl:text>
              <xsl:value-of select="substring($ft/@created, 1, 10)"/>
              <xsl:text>. It is not shown again; make a new one if you lost it.</xsl:text>
            </p>
          </xsl:when>
          <xsl:otherwise>
            <p>You have no feed token yet.</p>
          </xsl:otherwise>
        </xsl:choose>
        <form method="post" action="/account/feed-token">
          <xsl:call-template name="csrf-field"/>
          <button class="button button-primary" type="submit">
            <xsl:choose>
              <xsl:when test="$ft/@exists = 'yes'">Make a new token (revokes the old one)</xsl:when>
              <xsl:otherwise>Make a token</xsl:otherwise>
            </xsl:choose>
          </button>
        </form>
      </section>
    </div>
  </xsl:template>

</xsl:stylesheet>
