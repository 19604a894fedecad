<?xml version="1.0" encoding="UTF-8"?>
<!--
  communities/history.xsl - the edit history of a post at /p/{id}/history,
  for the community's moderators (modules/communities/threads.c).

  Input, inside the core's <page> envelope:

    <post-history id="">
      <community .../>
      <thread id="" title=""/>
      <current status="" created="" edited="" title=""><author login name/>
        <body>source text</body></current>
      <revision rev="" title="" replaced=""><editor login=""/><body>source
        text</body></revision>...      (newest first)
    </post-history>

  Texts are shown as their source, verbatim, in <pre>: a moderator sees
  exactly what was written.  To show more per revision, select it in
  STMT_REVISIONS (threads.c) and add it here.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>

  <xsl:variable name="h" select="/page/post-history"/>

  <xsl:template match="page" mode="title">
    <xsl:text>Post history · </xsl:text><xsl:value-of select="$h/thread/@title"/>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container">
      <div class="page-head">
        <p class="eyebrow">
          <a href="/c/{$h/community/@slug}"><xsl:value-of select="$h/community/@name"/></a>
          <xsl:text> · </xsl:text>
          <a href="/t/{$h/thread/@id}"><xsl:value-of select="$h/thread/@title"/></a>
        </p>
        <h1>History of a post</h1>
        <p class="muted">
          <xsl:text>By </xsl:text><xsl:value-of select="$h/current/author/@name"/>
          <xsl:text> (@</xsl:text><xsl:value-of select="$h/current/author/@login"/>
          <xsl:text>), posted </xsl:text><xsl:value-of select="$h/current/@created"/>
          <xsl:text> · status </xsl:text><xsl:value-of select="$h/current/@status"/>
        </p>
      </div>
      <section class="panel revision revision-current" aria-labelledby="current-title">
        <h2 id="current-title">
          <xsl:text>Current version</xsl:text>
          <xsl:if test="$h/current/@edited">
            <span class="muted small"><xsl:text> · edited </xsl:text><xsl:value-of select="$h/current/@edited"/></span>
          </xsl:if>
        </h2>
        <xsl:if test="$h/current/@title">
          <p><strong>Title: </strong><xsl:value-of select="$h/current/@title"/></p>
        </xsl:if>
        <pre class="wrap"><xsl:value-of select="$h/current/body"/></pre>
      </section>
      <xsl:choose>
        <xsl:when test="$h/revision">
          <xsl:for-each select="$h/revision">
            <section class="panel revision">
              <h2>
                <xsl:text>Version </xsl:text><xsl:value-of select="@rev"/>
                <span class="muted small">
                  <xsl:text> · replaced </xsl:text><xsl:value-of select="@replaced"/>
                  <xsl:text> by @</xsl:text><xsl:value-of select="editor/@login"/>
                </span>
              </h2>
              <xsl:if test="@title">
                <p><strong>Title: </strong><xsl:value-of select="@title"/></p>
              </xsl:if>
              <pre class="wrap"><xsl:value-of select="body"/></pre>
            </section>
          </xsl:for-each>
        </xsl:when>
        <xsl:otherwise>
          <p class="muted">This post has never been edited.</p>
        </xsl:otherwise>
      </xsl:choose>
    </div>
  </xsl:template>

</xsl:stylesheet>
