<?xml version="1.0" encoding="UTF-8"?>
<!--
  directory/person.xsl - a person's card at /directory/people/{id}
  (modules/partner_directory.c).  Only reached for a person the reader
  may see; anyone else gets the plain "not found" page.

  Input, inside the core's <page> envelope:

    <person id="" name="" email="" title="" org-slug="" org-name=""
        vendor="yes"? region="" industry="" tier="">
      <expertise>...</expertise>...
      <shared><community slug="" name=""/>...</shared>
    </person>

  To add a fact, add its attribute in person_xml() and a dt/dd pair below.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>
  <xsl:include href="cards.xsl"/>

  <xsl:variable name="p" select="/page/person"/>

  <xsl:template match="page" mode="title">
    <xsl:value-of select="$p/@name"/>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container">
      <p><a href="/directory">Partner directory</a></p>
      <div class="page-head">
        <h1><xsl:value-of select="$p/@name"/></h1>
        <xsl:if test="normalize-space($p/@title) != ''">
          <p class="muted"><xsl:value-of select="$p/@title"/></p>
        </xsl:if>
      </div>

      <section class="panel" aria-labelledby="contact-title">
        <h2 id="contact-title">Contact</h2>
        <dl class="facts">
          <dt>Organisation</dt>
          <dd>
            <xsl:choose>
              <xsl:when test="$p/@org-slug != ''">
                <a href="/directory/organisations/{$p/@org-slug}"><xsl:value-of select="$p/@org-name"/></a>
                <xsl:if test="$p/@vendor = 'yes'">
                  <xsl:text> </xsl:text><span class="tag">Vendor staff</span>
                </xsl:if>
              </xsl:when>
              <xsl:otherwise><span class="muted">None</span></xsl:otherwise>
            </xsl:choose>
          </dd>
          <xsl:if test="normalize-space($p/@email) != ''">
            <dt>Email</dt>
            <dd><code class="wrap"><xsl:value-of select="$p/@email"/></code></dd>
          </xsl:if>
          <xsl:if test="$p/@region != ''">
            <dt>Region</dt>
            <dd><xsl:value-of select="$p/@region"/></dd>
          </xsl:if>
          <xsl:if test="$p/@industry != ''">
            <dt>Industry</dt>
            <dd><xsl:value-of select="$p/@industry"/></dd>
          </xsl:if>
          <xsl:if test="$p/@tier != ''">
            <dt>Tier</dt>
            <dd><xsl:value-of select="$p/@tier"/></dd>
          </xsl:if>
          <dt>Expertise</dt>
          <dd>
            <xsl:for-each select="$p">
              <xsl:call-template name="expertise-tags"/>
            </xsl:for-each>
            <xsl:if test="not($p/expertise)"><span class="muted">Not given</span></xsl:if>
          </dd>
        </dl>
      </section>

      <section class="panel" aria-labelledby="shared-title">
        <h2 id="shared-title">Communities you share</h2>
        <xsl:choose>
          <xsl:when test="$p/shared/community">
            <ul class="group-list">
              <xsl:for-each select="$p/shared/community">
                <li><a href="/c/{@slug}"><xsl:value-of select="@name"/></a></li>
              </xsl:for-each>
            </ul>
          </xsl:when>
          <xsl:otherwise>
            <p class="muted">None.</p>
          </xsl:otherwise>
        </xsl:choose>
      </section>
    </div>
  </xsl:template>

</xsl:stylesheet>
