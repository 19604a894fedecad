<?xml version="1.0" encoding="UTF-8"?>
<!--
  directory/cards.xsl - the pieces the partner directory's pages share
  (modules/partner_directory.c): a table of people, a table of
  organisations, expertise tags, facts about an organisation, and a
  select option.  Included (not imported) by search.xsl, person.xsl and
  organisation.xsl, which import common.xsl.

  Input: <person> and <organisation> elements as partner_directory.c
  writes them (see its opening comment).  Every link is built from an id
  or a slug the database holds (slugs are [a-z0-9-]).

  To add a column, add its attribute in partner_directory.c (person_xml or
  org_xml) and a th/td pair below.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:template name="expertise-tags">
    <xsl:for-each select="expertise">
      <span class="tag"><xsl:value-of select="."/></span>
      <xsl:text> </xsl:text>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="people-table">
    <xsl:param name="people"/>
    <xsl:param name="caption" select="'People'"/>
    <xsl:param name="org-column" select="true()"/>
    <table class="table stack directory-people">
      <caption class="visually-hidden"><xsl:value-of select="$caption"/></caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <xsl:if test="$org-column"><th scope="col">Organisation</th></xsl:if>
          <th scope="col">Expertise</th>
        </tr>
      </thead>
      <tbody>
        <xsl:for-each select="$people">
          <tr>
            <th scope="row" data-label="Name">
              <a class="user-name" href="/directory/people/{@id}">
                <xsl:value-of select="@name"/>
              </a>
              <xsl:if test="normalize-space(@title) != ''">
                <span class="user-meta muted"><xsl:value-of select="@title"/></span>
              </xsl:if>
            </th>
            <xsl:if test="$org-column">
              <td data-label="Organisation">
                <xsl:choose>
                  <xsl:when test="@org-slug != ''">
                    <a href="/directory/organisations/{@org-slug}"><xsl:value-of select="@org-name"/></a>
                    <xsl:if test="@vendor = 'yes'">
                      <xsl:text> </xsl:text><span class="tag">Vendor staff</span>
                    </xsl:if>
                  </xsl:when>
                  <xsl:otherwise><span class="muted">None</span></xsl:otherwise>
                </xsl:choose>
              </td>
            </xsl:if>
            <td data-label="Expertise">
              <xsl:call-template name="expertise-tags"/>
              <xsl:if test="not(expertise)"><span class="muted">Not given</span></xsl:if>
            </td>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
  </xsl:template>

  <xsl:template name="orgs-table">
    <xsl:param name="orgs"/>
    <table class="table stack directory-organisations">
      <caption class="visually-hidden">Organisations</caption>
      <thead>
        <tr>
          <th scope="col">Organisation</th>
          <th scope="col">Region</th>
          <th scope="col">Industry</th>
          <th scope="col">Tier</th>
          <th scope="col">Expertise</th>
        </tr>
      </thead>
      <tbody>
        <xsl:for-each select="$orgs">
          <tr>
            <th scope="row" data-label="Organisation">
              <a class="user-name" href="/directory/organisations/{@slug}">
                <xsl:value-of select="@name"/>
              </a>
              <span class="user-meta muted">
                <xsl:call-template name="org-kind"/>
              </span>
            </th>
            <td data-label="Region">
              <xsl:value-of select="@region"/>
              <xsl:if test="@country != ''">
                <xsl:text> (</xsl:text><xsl:value-of select="@country"/><xsl:text>)</xsl:text>
              </xsl:if>
            </td>
            <td data-label="Industry"><xsl:value-of select="@industry"/></td>
            <td data-label="Tier">
              <xsl:choose>
                <xsl:when test="@tier != ''"><xsl:value-of select="@tier"/></xsl:when>
                <xsl:otherwise><span class="muted">-</span></xsl:otherwise>
              </xsl:choose>
            </td>
            <td data-label="Expertise">
              <xsl:call-template name="expertise-tags"/>
            </td>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
  </xsl:template>

  <!-- "Vendor" or the partner type, in words. -->
  <xsl:template name="org-kind">
    <xsl:choose>
      <xsl:when test="@vendor = 'yes'">Vendor</xsl:when>
      <xsl:when test="@type = 'reseller'">Reseller</xsl:when>
      <xsl:when test="@type = 'integrator'">Systems integrator</xsl:when>
      <xsl:when test="@type = 'distributor'">Distributor</xsl:when>
      <xsl:when test="@type = 'msp'">Managed service provider</xsl:when>
      <xsl:when test="@type = 'isv'">Software vendor (ISV)</xsl:when>
      <xsl:when test="@type = 'referral'">Referral partner</xsl:when>
      <xsl:otherwise>Partner</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="option">
    <xsl:param name="value"/>
    <xsl:param name="label"/>
    <xsl:param name="current"/>
    <option value="{$value}">
      <xsl:if test="string($value) = string($current)">
        <xsl:attribute name="selected">selected</xsl:attribute>
      </xsl:if>
      <xsl:value-of select="$label"/>
    </option>
  </xsl:template>

</xsl:stylesheet>
