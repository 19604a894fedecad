<?xml version="1.0" encoding="UTF-8"?>
<!--
  communities/compose.xsl - "New thread" at /c/{slug}/threads/new
  (modules/communities/threads.c).

  Input, inside the core's <page> envelope:

    <compose>
      <community .../>
      <draft title=""><body>text</body></draft>   (what was sent, on a 400)
    </compose>

  One form (title, first post) posting back to the same address with the
  CSRF field; the markup help says what the body may contain.  To add a
  field, add it here and in new_thread_fields (discussions.c).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>

  <xsl:variable name="c" select="/page/compose/community"/>
  <xsl:variable name="d" select="/page/compose/draft"/>

  <xsl:template match="page" mode="title">
    <xsl:text>New thread · </xsl:text><xsl:value-of select="$c/@name"/>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container narrow">
      <div class="page-head">
        <p class="eyebrow"><a href="/c/{$c/@slug}"><xsl:value-of select="$c/@name"/></a></p>
        <h1>New thread</h1>
      </div>
      <xsl:if test="/page/@status &gt;= 400">
        <p class="lead error-message" role="alert">A thread needs a title and a first post.</p>
      </xsl:if>
      <form method="post" action="/c/{$c/@slug}/threads/new" class="panel stack-form">
        <xsl:call-template name="csrf-field"/>
        <label for="title">Title</label>
        <input id="title" name="title" type="text" maxlength="200" required="required" value="{$d/@title}"/>
        <label for="body">First post</label>
        <textarea id="body" name="body" rows="10" required="required" maxlength="20000"><xsl:value-of select="$d/body"/></textarea>
        <p class="muted small">Plain text. Blank line: new paragraph. "- " bullets, "1. " numbered lists, `code`, ``` code blocks, links as https://… or [text](https://…), @login to mention someone.</p>
        <button class="button button-primary" type="submit">Start thread</button>
      </form>
    </div>
  </xsl:template>

</xsl:stylesheet>
