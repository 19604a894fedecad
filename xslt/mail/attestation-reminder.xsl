<?xml version="1.0" encoding="UTF-8"?>
<!--
  mail/attestation-reminder.xsl - the reminder `porticoctl lifecycle run`
  (modules/lifecycle.c) sends to an organisation's partner admins, and at
  the last stage (or when it has no partner admin) to its sponsor, before
  the organisation's roster must be confirmed.
  Data: <mail><site/><name/><slug/><organisation/><days/><deadline/>
  <sponsor/><last/><users/></mail>; sponsor and last are "yes" or absent;
  users is the number of active users on the roster.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/mail">
<xsl:text>Subject: </xsl:text>
<xsl:if test="last = 'yes'"><xsl:text>Last reminder: </xsl:text></xsl:if>
<xsl:text>Confirm the </xsl:text><xsl:value-of select="organisation"/><xsl:text> roster by </xsl:text><xsl:value-of select="substring(deadline, 1, 10)"/><xsl:text>

Hello </xsl:text><xsl:value-of select="name"/><xsl:text>,

</xsl:text>
<xsl:choose>
<xsl:when test="sponsor = 'yes'"><xsl:text>as the sponsor of </xsl:text></xsl:when>
<xsl:otherwise><xsl:text>as a partner administrator of </xsl:text></xsl:otherwise>
</xsl:choose>
<xsl:value-of select="organisation"/><xsl:text>, please confirm which of its
</xsl:text><xsl:value-of select="users"/><xsl:text> active users still need access to </xsl:text><xsl:value-of select="site"/><xsl:text>:

  /organisations/</xsl:text><xsl:value-of select="slug"/><xsl:text>/attestation

Users not confirmed by </xsl:text><xsl:value-of select="deadline"/><xsl:text> (UTC) lose their access.

This message was sent automatically; please do not reply.
</xsl:text>
</xsl:template>
</xsl:stylesheet>
