<?xml version="1.0" encoding="UTF-8"?>
<!--
  communities/report.xsl - report a post to the moderators, at
  /p/{id}/report (modules/communities/moderation_report.c).

  Input, inside the core's <page> envelope:

    <report post="" already="yes" reason="">
      <community id="" slug="" name="" ...><description/></community>
      <post id="" thread="" status="" author="" created-at="">
        <title/><excerpt/></post>
      <error>...</error>                  (after a refused POST)
    </report>

  Shows the post as text, then either "you have already reported it" or
  a POST form (with the CSRF field) for the reason, which is required.

  To ask for more than a reason, add a field here and in report_fields
  (moderation.c).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>

  <xsl:variable name="rep" select="/page/report"/>

  <xsl:template match="page" mode="title">
    <xsl:text>Report a post · </xsl:text>
    <xsl:value-of select="$rep/community/@name"/>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container narrow">
      <div class="page-head">
        <p class="eyebrow"><a href="/c/{$rep/community/@slug}"><xsl:value-of select="$rep/community/@name"/></a></p>
        <h1>Report a post</h1>
        <p class="muted">Tell the moderators of this community what is wrong. Only they see your report.</p>
      </div>
      <xsl:if test="$rep/error">
        <div class="error-summary" role="alert" tabindex="-1">
          <p><a href="#reason"><xsl:value-of select="$rep/error"/></a></p>
        </div>
      </xsl:if>
      <section class="panel" aria-label="The post">
        <p>
          <a href="/t/{$rep/post/@thread}"><xsl:value-of select="$rep/post/title"/></a>
          <span class="muted">
            <xsl:text> · </xsl:text>
            <xsl:value-of select="$rep/post/@author"/>
            <xsl:text> · </xsl:text>
            <xsl:value-of select="$rep/post/@created-at"/>
          </span>
        </p>
        <xsl:call-template name="paragraphs">
          <xsl:with-param name="text" select="$rep/post/excerpt"/>
        </xsl:call-template>
      </section>
      <xsl:choose>
        <xsl:when test="$rep/@already = 'yes'">
          <p class="lead">You have reported this post. The moderators will look at it.</p>
          <p><a class="button button-secondary" href="/t/{$rep/post/@thread}">Back to the thread</a></p>
        </xsl:when>
        <xsl:otherwise>
          <form method="post" action="/p/{$rep/@post}/report">
            <xsl:call-template name="csrf-field"/>
            <div class="field">
              <label for="reason">What is wrong with this post?</label>
              <textarea class="input" id="reason" name="reason" rows="4" maxlength="1000" required="required">
                <xsl:value-of select="$rep/@reason"/>
              </textarea>
            </div>
            <p class="actions">
              <button class="button button-primary" type="submit">Send report</button>
              <xsl:text> </xsl:text>
              <a class="button button-quiet" href="/t/{$rep/post/@thread}">Cancel</a>
            </p>
          </form>
        </xsl:otherwise>
      </xsl:choose>
    </div>
  </xsl:template>

</xsl:stylesheet>
