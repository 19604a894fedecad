<?xml version="1.0" encoding="UTF-8"?>
<!--
  collateral/mail-new-version.xsl - the mail to everyone who downloaded an
  earlier version of a library item (modules/collateral/collateral.c,
  through the mail outbox, modules/mail.c).  Text output: "Subject: ...",
  an empty line, the body.  Data: <mail site="" name=""><item id=""
  title="" version="" .../></mail>.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/mail">
<xsl:text>Subject: New version of </xsl:text><xsl:value-of select="item/@title"/><xsl:text>

Hello </xsl:text><xsl:value-of select="@name"/><xsl:text>,

version </xsl:text><xsl:value-of select="item/@version"/><xsl:text> of "</xsl:text><xsl:value-of select="item/@title"/><xsl:text>", which you downloaded
from </xsl:text><xsl:value-of select="@site"/><xsl:text>, is now available at the same link:
/collateral/</xsl:text><xsl:value-of select="item/@id"/><xsl:text>

Earlier versions should no longer be shared with customers.
</xsl:text>
</xsl:template>
</xsl:stylesheet>
