<?xml version="1.0" encoding="UTF-8"?>
<!--
  mail/lifecycle-warning.xsl - the warning `porticoctl lifecycle run`
  (modules/lifecycle.c) sends some days before an account loses access.
  Data: <mail><site/><name/><rule/><days/><last/><deadline/><reason/>
  <organisation/><login/><email/></mail>; rule is inactivity, term or
  org_term; days is
  the stage ([lifecycle] warn_days); last is "yes" for the final stage.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/mail">
<xsl:text>Subject: </xsl:text>
<xsl:if test="last = 'yes'"><xsl:text>Last reminder: </xsl:text></xsl:if>
<xsl:text>Your </xsl:text><xsl:value-of select="site"/><xsl:text> access ends on </xsl:text><xsl:value-of select="substring(deadline, 1, 10)"/><xsl:text>

Hello </xsl:text><xsl:value-of select="name"/><xsl:text>,

your access to </xsl:text><xsl:value-of select="site"/><xsl:text> will be disabled on </xsl:text><xsl:value-of select="deadline"/><xsl:text> (UTC).
</xsl:text>
<xsl:choose>
<xsl:when test="rule = 'inactivity'"><xsl:text>
Reason: </xsl:text><xsl:value-of select="reason"/><xsl:text>.
Signing in before that date keeps your account open.
</xsl:text></xsl:when>
<xsl:when test="rule = 'org_term'"><xsl:text>
Reason: </xsl:text><xsl:value-of select="reason"/><xsl:text>.
Your organisation's program manager can extend its access.
</xsl:text></xsl:when>
<xsl:otherwise><xsl:text>
Reason: </xsl:text><xsl:value-of select="reason"/><xsl:text>.
Your sponsor at the vendor can extend your access.
</xsl:text></xsl:otherwise>
</xsl:choose>
<xsl:text>
This message was sent automatically; please do not reply.
</xsl:text>
</xsl:template>
</xsl:stylesheet>
