<?xml version="1.0" encoding="UTF-8"?>
<!--
  communities/edit.xsl - editing one's own post at /p/{id}/edit
  (modules/communities/threads.c).

  Input, inside the core's <page> envelope:

    <edit-post id="" first="yes">
      <community .../>
      <thread id="" title=""/>
      <draft title=""><body>source text</body></draft>
    </edit-post>

  The first post of a thread also edits the thread's title.  Saving keeps
  the previous text for moderators (post_revisions) and marks the post
  "edited".  To add a field, add it here and in edit_fields (discussions.c).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>

  <xsl:variable name="e" select="/page/edit-post"/>

  <xsl:template match="page" mode="title">
    <xsl:text>Edit post · </xsl:text><xsl:value-of select="$e/thread/@title"/>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container narrow">
      <div class="page-head">
        <p class="eyebrow">
          <a href="/c/{$e/community/@slug}"><xsl:value-of select="$e/community/@name"/></a>
          <xsl:text> · </xsl:text>
          <a href="/t/{$e/thread/@id}"><xsl:value-of select="$e/thread/@title"/></a>
        </p>
        <h1>Edit your post</h1>
        <p class="muted">Moderators can see earlier versions of an edited post.</p>
      </div>
      <form method="post" action="/p/{$e/@id}/edit" class="panel stack-form">
        <xsl:call-template name="csrf-field"/>
        <xsl:if test="$e/@first = 'yes'">
          <label for="title">Thread title</label>
          <input id="title" name="title" type="text" maxlength="200" required="required" value="{$e/draft/@title}"/>
        </xsl:if>
        <label for="body">Post</label>
        <textarea id="body" name="body" rows="10" required="required" maxlength="20000"><xsl:value-of select="$e/draft/body"/></textarea>
        <button class="button button-primary" type="submit">Save changes</button>
        <a class="button button-quiet" href="/t/{$e/thread/@id}">Cancel</a>
      </form>
    </div>
  </xsl:template>

</xsl:stylesheet>
