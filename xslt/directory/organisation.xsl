<?xml version="1.0" encoding="UTF-8"?>
<!--
  directory/organisation.xsl - an organisation at
  /directory/organisations/{slug} (modules/partner_directory.c), with the
  people of it the reader may see.  Only reached for an organisation the
  reader may see; anyone else gets the plain "not found" page.

  Input, inside the core's <page> envelope:

    <organisation id="" slug="" name="" vendor="yes"? type="" region=""
        country="" industry="" tier="" people="">
      <expertise>...</expertise>...
      <summary>...</summary>
      <people more="yes"?><person .../>...</people>
    </organisation>

  To add a fact, add its attribute in org_xml() and a dt/dd pair below.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>
  <xsl:include href="cards.xsl"/>

  <xsl:variable name="o" select="/page/organisation"/>

  <xsl:template match="page" mode="title">
    <xsl:value-of select="$o/@name"/>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container">
      <p><a href="/directory">Partner directory</a></p>
      <div class="page-head">
        <h1><xsl:value-of select="$o/@name"/></h1>
        <p class="muted">
          <xsl:for-each select="$o"><xsl:call-template name="org-kind"/></xsl:for-each>
        </p>
      </div>

      <section class="panel" aria-labelledby="about-title">
        <h2 id="about-title">About</h2>
        <xsl:call-template name="paragraphs">
          <xsl:with-param name="text" select="$o/summary"/>
        </xsl:call-template>
        <dl class="facts">
          <xsl:if test="$o/@region != ''">
            <dt>Region</dt>
            <dd>
              <xsl:value-of select="$o/@region"/>
              <xsl:if test="$o/@country != ''">
                <xsl:text> (</xsl:text><xsl:value-of select="$o/@country"/><xsl:text>)</xsl:text>
              </xsl:if>
            </dd>
          </xsl:if>
          <xsl:if test="$o/@industry != ''">
            <dt>Industry</dt>
            <dd><xsl:value-of select="$o/@industry"/></dd>
          </xsl:if>
          <xsl:if test="$o/@tier != ''">
            <dt>Tier</dt>
            <dd><xsl:value-of select="$o/@tier"/></dd>
          </xsl:if>
          <dt>Expertise</dt>
          <dd>
            <xsl:for-each select="$o">
              <xsl:call-template name="expertise-tags"/>
            </xsl:for-each>
            <xsl:if test="not($o/expertise)"><span class="muted">Not given</span></xsl:if>
          </dd>
        </dl>
      </section>

      <section class="section" aria-labelledby="people-title">
        <h2 id="people-title">People you can reach</h2>
        <xsl:choose>
          <xsl:when test="$o/people/person">
            <xsl:call-template name="people-table">
              <xsl:with-param name="people" select="$o/people/person"/>
              <xsl:with-param name="org-column" select="false()"/>
            </xsl:call-template>
            <xsl:if test="$o/people/@more = 'yes'">
              <p><a href="/directory?show=people&amp;organisation={$o/@slug}">All people of this organisation</a></p>
            </xsl:if>
          </xsl:when>
          <xsl:otherwise>
            <p class="muted">Nobody here shares a community with you yet.</p>
          </xsl:otherwise>
        </xsl:choose>
      </section>
    </div>
  </xsl:template>

</xsl:stylesheet>
