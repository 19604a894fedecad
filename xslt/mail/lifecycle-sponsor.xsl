<?xml version="1.0" encoding="UTF-8"?>
<!--
  mail/lifecycle-sponsor.xsl - the copy of a user's final lifecycle warning
  that `porticoctl lifecycle run` (modules/lifecycle.c) sends to the
  sponsor of the user's organisation.
  Data: as mail/lifecycle-warning.xsl, plus <login/>, <email/> and
  <sponsor/> (the sponsor's name).
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/mail">
<xsl:text>Subject: Last reminder sent to </xsl:text><xsl:value-of select="name"/><xsl:text> (</xsl:text><xsl:value-of select="organisation"/><xsl:text>): access ends on </xsl:text><xsl:value-of select="substring(deadline, 1, 10)"/><xsl:text>

Hello </xsl:text><xsl:value-of select="sponsor"/><xsl:text>,

you sponsor </xsl:text><xsl:value-of select="organisation"/><xsl:text> on </xsl:text><xsl:value-of select="site"/><xsl:text>. This copy of the last reminder
tells you that the access of
  </xsl:text><xsl:value-of select="name"/><xsl:text> (</xsl:text><xsl:value-of select="login"/><xsl:text>, </xsl:text><xsl:value-of select="email"/><xsl:text>)
will be disabled on </xsl:text><xsl:value-of select="deadline"/><xsl:text> (UTC).
Reason: </xsl:text><xsl:value-of select="reason"/><xsl:text>.

If this person still needs access, ask them to sign in, or have a portal
administrator extend it.

This message was sent automatically; please do not reply.
</xsl:text>
</xsl:template>
</xsl:stylesheet>
