<?xml version="1.0" encoding="UTF-8"?>
<!--
  error.xsl - every error page (400 403 404 405 413 414 431 500 503).

  Input, built by the core (fcgi/dispatch.c):

    <page status="404" path="/nope" request-id="8f3c..." lang="en">
      <site name="Portico" static="/static"/>
      <error status="404" title="Not found">We could not find that page.</error>
    </page>

  Shows the title, the message, a hint for what to do next, a link home and
  the request id as a support reference.  The title and message fall back
  to generic wording per status, so a bare <error status="500"/> is still a
  complete page.  To word a status differently, edit the error-title and
  error-hint templates below.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="common.xsl"/>

  <xsl:variable name="status">
    <xsl:choose>
      <xsl:when test="/page/error/@status">
        <xsl:value-of select="/page/error/@status"/>
      </xsl:when>
      <xsl:when test="/page/@status">
        <xsl:value-of select="/page/@status"/>
      </xsl:when>
      <xsl:otherwise>500</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <xsl:variable name="error-title">
    <xsl:choose>
      <xsl:when test="normalize-space(/page/error/@title) != ''">
        <xsl:value-of select="normalize-space(/page/error/@title)"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="error-title"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <xsl:template match="page" mode="title">
    <xsl:value-of select="$error-title"/>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container narrow">
      <section class="error-card" aria-labelledby="error-title">
        <p class="error-code">
          <span class="visually-hidden">Error </span>
          <xsl:value-of select="$status"/>
        </p>
        <h1 id="error-title"><xsl:value-of select="$error-title"/></h1>
        <p class="lead">
          <xsl:choose>
            <xsl:when test="normalize-space(/page/error) != ''">
              <xsl:value-of select="/page/error"/>
            </xsl:when>
            <xsl:otherwise>
              <xsl:call-template name="error-message"/>
            </xsl:otherwise>
          </xsl:choose>
        </p>
        <p class="error-hint"><xsl:call-template name="error-hint"/></p>
        <p class="actions">
          <a class="button button-primary" href="/">Go to the home page</a>
        </p>
        <xsl:if test="normalize-space(/page/@request-id) != ''">
          <p class="reference">
            <xsl:text>Reference: </xsl:text>
            <code><xsl:value-of select="/page/@request-id"/></code>
          </p>
        </xsl:if>
      </section>
    </div>
  </xsl:template>

  <xsl:template name="error-title">
    <xsl:choose>
      <xsl:when test="$status = 400">Bad request</xsl:when>
      <xsl:when test="$status = 403">Access denied</xsl:when>
      <xsl:when test="$status = 404">Not found</xsl:when>
      <xsl:when test="$status = 405">Method not allowed</xsl:when>
      <xsl:when test="$status = 413">Request too large</xsl:when>
      <xsl:when test="$status = 414">Address too long</xsl:when>
      <xsl:when test="$status = 431">Request headers too large</xsl:when>
      <xsl:when test="$status = 503">Temporarily unavailable</xsl:when>
      <xsl:otherwise>Something went wrong</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="error-message">
    <xsl:choose>
      <xsl:when test="$status = 404">We could not find that page.</xsl:when>
      <xsl:when test="$status = 403">You do not have access to this page.</xsl:when>
      <xsl:when test="$status = 503">The partner portal is briefly unavailable.</xsl:when>
      <xsl:when test="$status &gt;= 500">The partner portal could not complete your request.</xsl:when>
      <xsl:otherwise>The partner portal could not process that request.</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="error-hint">
    <xsl:choose>
      <xsl:when test="$status = 404">Check the address for typos, or start again from the home page.</xsl:when>
      <xsl:when test="$status = 403">If you think you should have access, ask your channel manager.</xsl:when>
      <xsl:when test="$status = 503">Please try again in a minute.</xsl:when>
      <xsl:when test="$status &gt;= 500">This is a problem on our side, not yours. Please try again; if it keeps happening, contact support.</xsl:when>
      <xsl:otherwise>Go back and try again, or start from the home page.</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
