<?xml version="1.0" encoding="UTF-8"?>
<!--
  communities/settings.xsl - a community's settings, for its managers, at
  /c/{slug}/settings (modules/communities/communities.c).

  Input, inside the core's <page> envelope:

    <community .../>
    <community-form mode="settings" ...>  (see new.xsl)

  The community heading and tabs (members.xsl) and the community form
  (new.xsl) without the address and the managers: managers are named on
  the members page.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="members.xsl"/>
  <xsl:import href="new.xsl"/>

  <xsl:template match="page" mode="title">
    <xsl:text>Settings · </xsl:text>
    <xsl:value-of select="/page/community/@name"/>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container narrow">
      <xsl:call-template name="comm-head">
        <xsl:with-param name="manage" select="true()"/>
        <xsl:with-param name="current" select="'settings'"/>
      </xsl:call-template>
      <xsl:call-template name="community-form">
        <xsl:with-param name="action" select="concat('/c/', /page/community/@slug, '/settings')"/>
        <xsl:with-param name="submit" select="'Save settings'"/>
      </xsl:call-template>
    </div>
  </xsl:template>

</xsl:stylesheet>
