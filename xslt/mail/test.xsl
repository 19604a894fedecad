<?xml version="1.0" encoding="UTF-8"?>
<!--
  mail/test.xsl - the test message of `porticoctl mail test ADDRESS`, and the
  example every mail template follows (modules/mail.c): text output whose
  first line is "Subject: ...", then an empty line, then the body.  Values
  come from the data document: <mail><site/><title/><to/></mail>.  The body
  holds a line that is only "." on purpose: it must survive delivery.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/mail">
<xsl:text>Subject: </xsl:text><xsl:value-of select="title"/><xsl:text>

Hello,

this is a test message from </xsl:text><xsl:value-of select="site"/><xsl:text> to </xsl:text><xsl:value-of select="to"/><xsl:text>.
The next line is a single dot:
.
..and this one starts with two.
End of the test message.
</xsl:text>
</xsl:template>
</xsl:stylesheet>
