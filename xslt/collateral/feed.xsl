<?xml version="1.0" encoding="UTF-8"?>
<!--
  collateral/feed.xsl - the library's Atom feed (RFC 4287) at
  /library/feed.atom (modules/collateral/library.c): new and updated items
  the reader is entitled to, newest first.

  Input, inside the core's <page> envelope:
    <feed base="https://host" updated="">
      <entry id="" title="" kind="" updated="" version=""><summary/></entry>...
    </feed>

  An entry's id is the item's stable URL plus its version, so a new
  version is a new entry for feed readers.  Summaries are type="text".
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns="http://www.w3.org/2005/Atom">

  <xsl:output method="xml" encoding="UTF-8" indent="no"
      media-type="application/atom+xml"/>

  <xsl:variable name="f" select="/page/feed"/>

  <xsl:template match="/">
    <feed>
      <id><xsl:value-of select="concat($f/@base, '/library')"/></id>
      <title><xsl:value-of select="/page/site/@name"/> library</title>
      <updated><xsl:value-of select="$f/@updated"/></updated>
      <link rel="alternate" type="text/html" href="{$f/@base}/library"/>
      <generator>Portico</generator>
      <xsl:for-each select="$f/entry">
        <xsl:variable name="url" select="concat($f/@base, '/collateral/', @id)"/>
        <entry>
          <id><xsl:value-of select="concat($url, '#v', @version)"/></id>
          <title><xsl:value-of select="@title"/> (version <xsl:value-of select="@version"/>)</title>
          <link rel="alternate" type="text/html" href="{$url}"/>
          <author><name><xsl:value-of select="/page/site/@name"/></name></author>
          <updated><xsl:value-of select="@updated"/></updated>
          <category term="{@kind}"/>
          <summary type="text"><xsl:value-of select="summary"/></summary>
        </entry>
      </xsl:for-each>
    </feed>
  </xsl:template>

</xsl:stylesheet>
