<?xml version="1.0" encoding="UTF-8"?>
<!--
  communities/notifications.xsl - the reader's notifications at
  /notifications (modules/communities/notify.c).

  Input, inside the core's <page> envelope:

    <notifications unread="N" after="">
      <notification id="" kind="reply|mention" created="" unread="yes"
          thread="" title="" post="" community="slug" community-name="">
        <actor login="" name=""/>
      </notification>...
      <more after="id"/>
    </notifications>

  Only notifications the reader may still see are in the input (notify.c
  applies the visibility rule when reading).  "Mark all as read" posts with
  the CSRF field.  To word a new kind, add a when below.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>

  <xsl:variable name="n" select="/page/notifications"/>

  <xsl:template match="page" mode="title">Notifications</xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container">
      <div class="page-head">
        <h1>Notifications</h1>
        <p class="muted">
          <span class="count unread-count"><xsl:value-of select="$n/@unread"/></span>
          <xsl:text> unread</xsl:text>
        </p>
        <xsl:if test="$n/@unread &gt; 0">
          <form method="post" action="/notifications/read" class="inline-form">
            <xsl:call-template name="csrf-field"/>
            <button class="button button-small" type="submit">Mark all as read</button>
          </form>
        </xsl:if>
      </div>
      <xsl:choose>
        <xsl:when test="$n/notification">
          <ul class="notification-list">
            <xsl:for-each select="$n/notification">
              <li>
                <xsl:attribute name="class">
                  <xsl:text>notification</xsl:text>
                  <xsl:if test="@unread = 'yes'"> unread</xsl:if>
                </xsl:attribute>
                <xsl:if test="@unread = 'yes'"><span class="tag">New</span><xsl:text> </xsl:text></xsl:if>
                <strong><xsl:value-of select="actor/@name"/></strong>
                <xsl:choose>
                  <xsl:when test="@kind = 'mention'"> mentioned you in </xsl:when>
                  <xsl:when test="@kind = 'reply'"> replied to </xsl:when>
                  <xsl:otherwise> posted in </xsl:otherwise>
                </xsl:choose>
                <a>
                  <xsl:attribute name="href">
                    <xsl:text>/t/</xsl:text><xsl:value-of select="@thread"/>
                    <xsl:if test="@post">?after=<xsl:value-of select="@post - 1"/>#p<xsl:value-of select="@post"/></xsl:if>
                  </xsl:attribute>
                  <xsl:value-of select="@title"/>
                </a>
                <span class="muted small">
                  <xsl:text> in </xsl:text><xsl:value-of select="@community-name"/>
                  <xsl:text> · </xsl:text><xsl:value-of select="substring(@created, 1, 10)"/>
                  <xsl:text> </xsl:text><xsl:value-of select="substring(@created, 12, 5)"/>
                </span>
              </li>
            </xsl:for-each>
          </ul>
        </xsl:when>
        <xsl:otherwise>
          <p class="muted">Nothing new. Replies to your threads and mentions of you will appear here.</p>
        </xsl:otherwise>
      </xsl:choose>
      <nav class="pager" aria-label="Notification pages">
        <xsl:if test="$n/@after"><a href="/notifications">Newest</a><xsl:text> </xsl:text></xsl:if>
        <xsl:if test="$n/more"><a rel="next" href="/notifications?after={$n/more/@after}">Older</a></xsl:if>
      </nav>
    </div>
  </xsl:template>

</xsl:stylesheet>
