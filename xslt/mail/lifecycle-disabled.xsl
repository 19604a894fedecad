<?xml version="1.0" encoding="UTF-8"?>
<!--
  mail/lifecycle-disabled.xsl - the notice `porticoctl lifecycle run`
  (modules/lifecycle.c) sends when it disables an account.
  Data: <mail><site/><name/><rule/><reason/><grace_days/><contact/></mail>;
  contact is [lifecycle] contact (may be empty).
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/mail">
<xsl:text>Subject: Your </xsl:text><xsl:value-of select="site"/><xsl:text> access has been disabled

Hello </xsl:text><xsl:value-of select="name"/><xsl:text>,

your access to </xsl:text><xsl:value-of select="site"/><xsl:text> has been disabled.
Reason: </xsl:text><xsl:value-of select="reason"/><xsl:text>.

Your personal data will be removed in </xsl:text><xsl:value-of select="grace_days"/><xsl:text> days unless an administrator
re-enables your account before then; contact </xsl:text>
<xsl:choose>
<xsl:when test="string(contact) != ''"><xsl:value-of select="contact"/></xsl:when>
<xsl:otherwise><xsl:text>your sponsor at the vendor</xsl:text></xsl:otherwise>
</xsl:choose>
<xsl:text>.

This message was sent automatically; please do not reply.
</xsl:text>
</xsl:template>
</xsl:stylesheet>
