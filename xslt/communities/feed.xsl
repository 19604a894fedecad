<?xml version="1.0" encoding="UTF-8"?>
<!--
  communities/feed.xsl - a community's Atom feed (RFC 4287) at
  /c/{slug}/feed.atom (modules/communities/feed.c).

  Input, inside the core's <page> envelope:

    <feed base="https://host" updated="">
      <community id="" slug="" name="" ...><description/></community>
      <entry post="" thread="" title="" first="yes" login="" author=""
          published="" updated=""><body>source text</body></entry>...
    </feed>

  Output is application/atom+xml.  Entry content is type="text", the
  post's source: feed readers never get HTML from users.  Ids are the
  entries' own URLs.  To add an element, add it in feed.c and here.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns="http://www.w3.org/2005/Atom">

  <xsl:output method="xml" encoding="UTF-8" indent="no"
      media-type="application/atom+xml"/>

  <xsl:variable name="f" select="/page/feed"/>
  <xsl:variable name="c" select="$f/community"/>
  <xsl:variable name="home" select="concat($f/@base, '/c/', $c/@slug)"/>

  <xsl:template match="/">
    <feed>
      <id><xsl:value-of select="$home"/></id>
      <title><xsl:value-of select="$c/@name"/></title>
      <subtitle><xsl:value-of select="$c/description"/></subtitle>
      <updated><xsl:value-of select="$f/@updated"/></updated>
      <link rel="alternate" type="text/html" href="{$home}"/>
      <link rel="self" type="application/atom+xml" href="{$home}/feed.atom"/>
      <generator>Portico</generator>
      <xsl:for-each select="$f/entry">
        <xsl:variable name="url" select="concat($f/@base, '/t/', @thread, '?after=', @post - 1, '#p', @post)"/>
        <entry>
          <id><xsl:value-of select="$url"/></id>
          <title>
            <xsl:if test="not(@first = 'yes')">Re: </xsl:if>
            <xsl:value-of select="@title"/>
          </title>
          <link rel="alternate" type="text/html" href="{$url}"/>
          <author><name><xsl:value-of select="@author"/></name></author>
          <published><xsl:value-of select="@published"/></published>
          <updated><xsl:value-of select="@updated"/></updated>
          <content type="text"><xsl:value-of select="body"/></content>
        </entry>
      </xsl:for-each>
    </feed>
  </xsl:template>

</xsl:stylesheet>
