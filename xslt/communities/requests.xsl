<?xml version="1.0" encoding="UTF-8"?>
<!--
  communities/requests.xsl - requests to join a community, for its
  managers, at /c/{slug}/requests (modules/communities/members.c).

  Input, inside the core's <page> envelope:

    <community .../>
    <requests first="yes|no">
      <request id="" user="" login="" name="" organisation="" created="">message</request>...
      <next after-id=""/>                       (a next page)
      <error request="12">message</error>      (a refused approval)
    </requests>

  Each request shows who asks, their organisation, when and why, with an
  Approve form (carrying the competitor override and its reason) and a
  Decline form, both POST with the CSRF field.

  To show more about the person asking, add it to STMT_REQUESTS in
  members.c and a line to the request template.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="members.xsl"/>

  <xsl:variable name="reqs" select="/page/requests"/>

  <xsl:template match="page" mode="title">
    <xsl:text>Requests to join · </xsl:text>
    <xsl:value-of select="/page/community/@name"/>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container">
      <xsl:call-template name="comm-head">
        <xsl:with-param name="manage" select="true()"/>
        <xsl:with-param name="current" select="'requests'"/>
      </xsl:call-template>
      <xsl:call-template name="comm-error">
        <xsl:with-param name="error" select="$reqs/error"/>
      </xsl:call-template>
      <section class="section" aria-labelledby="req-title">
        <h2 id="req-title">Requests to join</h2>
        <xsl:choose>
          <xsl:when test="not($reqs/request)">
            <div class="empty-state"><p class="empty-title">Nobody is waiting.</p></div>
          </xsl:when>
          <xsl:otherwise>
            <ul class="comm-list">
              <xsl:apply-templates select="$reqs/request"/>
            </ul>
          </xsl:otherwise>
        </xsl:choose>
        <xsl:if test="$reqs/next or $reqs/@first = 'no'">
          <nav class="pager" aria-label="Pages">
            <xsl:if test="$reqs/@first = 'no'">
              <a class="button button-secondary" href="/c/{/page/community/@slug}/requests">First page</a>
            </xsl:if>
            <xsl:if test="$reqs/next">
              <form class="pager-form" method="get" action="/c/{/page/community/@slug}/requests">
                <input type="hidden" name="after_id" value="{$reqs/next/@after-id}"/>
                <button class="button button-secondary" type="submit">Next page</button>
              </form>
            </xsl:if>
          </nav>
        </xsl:if>
      </section>
    </div>
  </xsl:template>

  <xsl:template match="request">
    <li class="comm-card">
      <h3>
        <xsl:value-of select="@name"/>
        <xsl:if test="normalize-space(@name) = ''"><xsl:value-of select="@login"/></xsl:if>
        <xsl:text> </xsl:text>
        <code class="wrap small"><xsl:value-of select="@login"/></code>
      </h3>
      <p class="muted small">
        <xsl:choose>
          <xsl:when test="@organisation"><xsl:value-of select="@organisation"/></xsl:when>
          <xsl:otherwise>No organisation</xsl:otherwise>
        </xsl:choose>
        <xsl:text> · asked </xsl:text>
        <xsl:value-of select="@created"/>
      </p>
      <xsl:call-template name="paragraphs">
        <xsl:with-param name="text" select="."/>
      </xsl:call-template>
      <div class="comm-actions">
        <form method="post" action="/c/{/page/community/@slug}/requests/{@id}/approve" class="comm-form">
          <xsl:call-template name="csrf-field"/>
          <xsl:call-template name="override-fields">
            <xsl:with-param name="id" select="concat('req', @id)"/>
            <xsl:with-param name="checked" select="false()"/>
            <xsl:with-param name="reason" select="''"/>
          </xsl:call-template>
          <button class="button button-primary" type="submit">Approve<span class="visually-hidden"><xsl:text> </xsl:text><xsl:value-of select="@login"/></span></button>
        </form>
        <form method="post" action="/c/{/page/community/@slug}/requests/{@id}/decline">
          <xsl:call-template name="csrf-field"/>
          <button class="button button-secondary" type="submit">Decline<span class="visually-hidden"><xsl:text> </xsl:text><xsl:value-of select="@login"/></span></button>
        </form>
      </div>
    </li>
  </xsl:template>

</xsl:stylesheet>
