<?xml version="1.0" encoding="UTF-8"?>
<!--
  communities/contributors.xsl - the top contributors of a community at
  /c/{slug}/contributors (modules/communities/kudos.c).

  Input, inside the core's <page> envelope:

    <contributors>
      <community id="" slug="" name="" ...><description/></community>
      <me posts="" kudos=""/>
      <member id="" name="" organisation="" posts="" kudos=""/>
                                      (?member=; found="no" if none)
      <contributor rank="" id="" name="" organisation="" posts="" kudos=""
          score="" me="yes"/>...
    </contributors>

  The reader's own contribution in this community, one member's when
  asked for (?member=), then the ranking as a table.  Every number counts this community only.

  To show another measure, add its attribute in kudos.c and a column here.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>

  <xsl:variable name="top" select="/page/contributors"/>

  <xsl:template match="page" mode="title">
    <xsl:text>Top contributors · </xsl:text>
    <xsl:value-of select="$top/community/@name"/>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container">
      <div class="page-head">
        <p class="eyebrow"><a href="/c/{$top/community/@slug}"><xsl:value-of select="$top/community/@name"/></a></p>
        <h1>Top contributors</h1>
        <p class="muted">Posts shown in this community and the kudos they received. Nothing from other communities counts here.</p>
      </div>

      <section class="panel my-contribution" aria-labelledby="me-title">
        <h2 id="me-title">Your contribution here</h2>
        <p>
          <xsl:call-template name="counts">
            <xsl:with-param name="who" select="$top/me"/>
          </xsl:call-template>
        </p>
      </section>

      <xsl:apply-templates select="$top/member"/>

      <xsl:choose>
        <xsl:when test="not($top/contributor)">
          <div class="empty-state">
            <p class="empty-title">Nobody has posted here yet.</p>
          </div>
        </xsl:when>
        <xsl:otherwise>
          <table class="table stack contributors-table">
            <caption class="visually-hidden">Top contributors, highest first</caption>
            <thead>
              <tr>
                <th scope="col">Rank</th>
                <th scope="col">Member</th>
                <th scope="col">Posts</th>
                <th scope="col">Kudos received</th>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="$top/contributor">
                <tr>
                  <td data-label="Rank"><xsl:value-of select="@rank"/></td>
                  <th scope="row" data-label="Member">
                    <a class="user-name" href="/c/{$top/community/@slug}/contributors?member={@id}"><xsl:value-of select="@name"/></a>
                    <xsl:if test="@me = 'yes'">
                      <xsl:text> </xsl:text>
                      <span class="badge">You</span>
                    </xsl:if>
                    <xsl:if test="@organisation">
                      <span class="user-meta muted"><xsl:value-of select="@organisation"/></span>
                    </xsl:if>
                  </th>
                  <td data-label="Posts"><xsl:value-of select="@posts"/></td>
                  <td data-label="Kudos received"><xsl:value-of select="@kudos"/></td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </xsl:otherwise>
      </xsl:choose>
    </div>
  </xsl:template>

  <xsl:template match="member">
    <section class="panel member-contribution" aria-labelledby="member-title">
      <xsl:choose>
        <xsl:when test="@found = 'no'">
          <h2 id="member-title">No such member</h2>
          <p>Nobody by that number belongs to or has posted in this community.</p>
        </xsl:when>
        <xsl:otherwise>
          <h2 id="member-title">
            <xsl:value-of select="@name"/>
            <xsl:if test="@organisation">
              <span class="muted"><xsl:text> · </xsl:text><xsl:value-of select="@organisation"/></span>
            </xsl:if>
          </h2>
          <p>
            <xsl:call-template name="counts">
              <xsl:with-param name="who" select="."/>
            </xsl:call-template>
            <xsl:text> in this community</xsl:text>
          </p>
        </xsl:otherwise>
      </xsl:choose>
    </section>
  </xsl:template>

  <!-- "3 posts · 1 kudos received", singular where it is one. -->
  <xsl:template name="counts">
    <xsl:param name="who"/>
    <span class="count"><xsl:value-of select="$who/@posts"/></span>
    <xsl:choose>
      <xsl:when test="$who/@posts = 1"> post · </xsl:when>
      <xsl:otherwise> posts · </xsl:otherwise>
    </xsl:choose>
    <span class="count"><xsl:value-of select="$who/@kudos"/></span>
    <xsl:text> kudos received</xsl:text>
  </xsl:template>

</xsl:stylesheet>
