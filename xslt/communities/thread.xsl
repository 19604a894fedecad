<?xml version="1.0" encoding="UTF-8"?>
<!--
  communities/thread.xsl - a thread at /t/{id} (modules/communities/threads.c).

  Input, inside the core's <page> envelope:

    <thread-page>
      <community .../>                              (see community.xsl)
      <thread id="" title="" status="" locked="yes" pinned="yes"
          featured="yes" replies="" created=""><author id login name/></thread>
      <post id="" status="visible|held|hidden|deleted|removed" reason=""
          first="yes" mine="yes" kudos="" kudoed="yes" created="" edited=""
          edits="">
        <author id="" login="" name=""/>
        <body>markup tree (modules/communities/markup.h)</body>
      </post>...
      <more after="id"/>  <page after="id"/>
    </thread-page>

  A post the reader may not see in full (status "removed") shows only
  "[removed by a moderator]".  Post bodies are rendered from the markup tree
  by the "markup" mode below: every user character is text, links are
  http(s) only (markup.c checked them) with rel="nofollow noopener", and a
  mention links to the person only when markup.c marked it (user attribute).
  Buttons post to the moderation module's routes (moderation.c, kudos.c):
  kudos, report, and for moderators hide/unhide/delete/approve, lock, pin,
  feature.  Members reply at the foot; readers who have not joined see
  "Join to reply"; a locked thread says so.

  To render a new markup element, add a template in mode "markup".
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>

  <xsl:variable name="tp" select="/page/thread-page"/>
  <xsl:variable name="c" select="$tp/community"/>
  <xsl:variable name="t" select="$tp/thread"/>
  <xsl:variable name="mod" select="$c/@moderator = 'yes'"/>
  <xsl:variable name="can-post" select="$c/@member = 'yes' or $mod"/>

  <xsl:template match="page" mode="title">
    <xsl:value-of select="$t/@title"/>
  </xsl:template>

  <xsl:template name="when">
    <xsl:param name="t"/>
    <time datetime="{$t}">
      <xsl:value-of select="substring($t, 1, 10)"/>
      <xsl:text> </xsl:text>
      <xsl:value-of select="substring($t, 12, 5)"/>
    </time>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container">
      <div class="page-head">
        <p class="eyebrow"><a href="/c/{$c/@slug}"><xsl:value-of select="$c/@name"/></a></p>
        <h1><xsl:value-of select="$t/@title"/></h1>
        <p class="muted">
          <xsl:if test="$t/@pinned = 'yes'"><span class="tag">Pinned</span><xsl:text> </xsl:text></xsl:if>
          <xsl:if test="$t/@featured = 'yes'"><span class="tag">Featured</span><xsl:text> </xsl:text></xsl:if>
          <xsl:if test="$t/@locked = 'yes'"><span class="tag">Locked</span><xsl:text> </xsl:text></xsl:if>
          <xsl:if test="$t/@status != 'visible'"><span class="tag tag-status"><xsl:value-of select="$t/@status"/></span><xsl:text> </xsl:text></xsl:if>
          <xsl:text>Started by </xsl:text>
          <xsl:value-of select="$t/author/@name"/>
          <xsl:text> · </xsl:text>
          <xsl:value-of select="$t/@replies"/>
          <xsl:text> replies</xsl:text>
        </p>
        <xsl:if test="$mod">
          <div class="actions mod-actions">
            <xsl:call-template name="thread-button">
              <xsl:with-param name="on" select="$t/@locked = 'yes'"/>
              <xsl:with-param name="yes" select="'unlock'"/>
              <xsl:with-param name="no" select="'lock'"/>
              <xsl:with-param name="label-yes" select="'Unlock'"/>
              <xsl:with-param name="label-no" select="'Lock'"/>
            </xsl:call-template>
            <xsl:call-template name="thread-button">
              <xsl:with-param name="on" select="$t/@pinned = 'yes'"/>
              <xsl:with-param name="yes" select="'unpin'"/>
              <xsl:with-param name="no" select="'pin'"/>
              <xsl:with-param name="label-yes" select="'Unpin'"/>
              <xsl:with-param name="label-no" select="'Pin'"/>
            </xsl:call-template>
            <xsl:call-template name="thread-button">
              <xsl:with-param name="on" select="$t/@featured = 'yes'"/>
              <xsl:with-param name="yes" select="'unfeature'"/>
              <xsl:with-param name="no" select="'feature'"/>
              <xsl:with-param name="label-yes" select="'Unfeature'"/>
              <xsl:with-param name="label-no" select="'Feature'"/>
            </xsl:call-template>
            <a class="button button-small" href="/t/{$t/@id}/move">Move</a>
          </div>
        </xsl:if>
      </div>

      <xsl:if test="$tp/page/@after">
        <p><a href="/t/{$t/@id}">First posts of this thread</a></p>
      </xsl:if>

      <ol class="posts">
        <xsl:apply-templates select="$tp/post"/>
      </ol>

      <nav class="pager" aria-label="Post pages">
        <xsl:if test="$tp/more">
          <a rel="next" href="/t/{$t/@id}?after={$tp/more/@after}">Later posts</a>
        </xsl:if>
      </nav>

      <section class="panel" aria-labelledby="reply-title">
        <h2 id="reply-title">Reply</h2>
        <xsl:choose>
          <xsl:when test="$t/@locked = 'yes'">
            <p class="muted">This thread is locked: a moderator closed it to new replies.</p>
          </xsl:when>
          <xsl:when test="$can-post">
            <form method="post" action="/t/{$t/@id}/reply" class="stack-form">
              <xsl:call-template name="csrf-field"/>
              <label for="reply-body">Your reply</label>
              <textarea id="reply-body" name="body" rows="6" required="required" maxlength="20000"/>
              <p class="muted small">Plain text. Blank line: new paragraph. "- " bullets, "1. " numbered lists, `code`, ``` code blocks, links as https://… or [text](https://…), @login to mention someone.</p>
              <button class="button button-primary" type="submit">Post reply</button>
            </form>
          </xsl:when>
          <xsl:when test="$c/@join-policy = 'open'">
            <form method="post" action="/c/{$c/@slug}/join" class="inline-form">
              <xsl:call-template name="csrf-field"/>
              <button class="button button-primary" type="submit">Join to reply</button>
            </form>
          </xsl:when>
          <xsl:otherwise>
            <p class="muted">Only members of this community can reply.</p>
          </xsl:otherwise>
        </xsl:choose>
      </section>
    </div>
  </xsl:template>

  <xsl:template name="thread-button">
    <xsl:param name="on"/>
    <xsl:param name="yes"/>
    <xsl:param name="no"/>
    <xsl:param name="label-yes"/>
    <xsl:param name="label-no"/>
    <form method="post" class="inline-form">
      <xsl:attribute name="action">
        <xsl:text>/t/</xsl:text><xsl:value-of select="$t/@id"/><xsl:text>/</xsl:text>
        <xsl:choose>
          <xsl:when test="$on"><xsl:value-of select="$yes"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="$no"/></xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
      <xsl:call-template name="csrf-field"/>
      <button class="button button-small" type="submit">
        <xsl:choose>
          <xsl:when test="$on"><xsl:value-of select="$label-yes"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="$label-no"/></xsl:otherwise>
        </xsl:choose>
      </button>
    </form>
  </xsl:template>

  <xsl:template match="post[@status = 'removed']">
    <li class="post post-removed" id="p{@id}">
      <p class="muted">[removed by a moderator]</p>
    </li>
  </xsl:template>

  <xsl:template match="post">
    <li class="post post-{@status}" id="p{@id}">
      <header class="post-head">
        <strong class="post-author"><xsl:value-of select="author/@name"/></strong>
        <span class="muted small">
          <xsl:text> @</xsl:text><xsl:value-of select="author/@login"/>
          <xsl:text> · </xsl:text>
          <a href="/t/{$t/@id}?after={@id - 1}#p{@id}">
            <xsl:call-template name="when">
              <xsl:with-param name="t" select="@created"/>
            </xsl:call-template>
          </a>
          <xsl:if test="@edited">
            <xsl:text> · </xsl:text>
            <span class="edited" title="{@edited}">edited</span>
          </xsl:if>
        </span>
        <xsl:if test="@status = 'held'">
          <xsl:text> </xsl:text><span class="tag tag-status">Awaiting review</span>
        </xsl:if>
        <xsl:if test="@status = 'hidden' or @status = 'deleted'">
          <xsl:text> </xsl:text>
          <span class="tag tag-status"><xsl:value-of select="@status"/></span>
          <xsl:if test="@reason">
            <span class="muted small"><xsl:text> </xsl:text><xsl:value-of select="@reason"/></span>
          </xsl:if>
        </xsl:if>
      </header>
      <div class="post-body">
        <xsl:apply-templates select="body/*" mode="markup"/>
      </div>
      <footer class="post-actions">
        <xsl:if test="@status = 'visible' and $can-post and @mine = 'yes' and @kudos != '0'">
          <span class="muted">Kudos · <xsl:value-of select="@kudos"/></span>
        </xsl:if>
        <xsl:if test="@status = 'visible' and $can-post and not(@mine = 'yes')">
          <form method="post" class="inline-form">
            <xsl:attribute name="action">
              <xsl:text>/p/</xsl:text><xsl:value-of select="@id"/>
              <xsl:choose>
                <xsl:when test="@kudoed = 'yes'">/unkudos</xsl:when>
                <xsl:otherwise>/kudos</xsl:otherwise>
              </xsl:choose>
            </xsl:attribute>
            <xsl:call-template name="csrf-field"/>
            <button class="button button-small" type="submit">
              <xsl:choose>
                <xsl:when test="@kudoed = 'yes'">Kudos given</xsl:when>
                <xsl:otherwise>Kudos</xsl:otherwise>
              </xsl:choose>
              <xsl:text> · </xsl:text><xsl:value-of select="@kudos"/>
            </button>
          </form>
        </xsl:if>
        <xsl:if test="@mine = 'yes' and not($t/@locked) and (@status = 'visible' or @status = 'held')">
          <a class="button button-small" href="/p/{@id}/edit">Edit</a>
        </xsl:if>
        <xsl:if test="not(@mine = 'yes') and @status = 'visible'">
          <a class="button button-small button-quiet" href="/p/{@id}/report">Report</a>
        </xsl:if>
        <xsl:if test="$mod">
          <xsl:if test="@edited">
            <a class="button button-small button-quiet" href="/p/{@id}/history">History</a>
          </xsl:if>
          <xsl:choose>
            <xsl:when test="@status = 'held'">
              <form method="post" action="/p/{@id}/approve" class="inline-form">
                <xsl:call-template name="csrf-field"/>
                <button class="button button-small" type="submit">Approve</button>
              </form>
            </xsl:when>
            <xsl:when test="@status = 'hidden'">
              <form method="post" action="/p/{@id}/unhide" class="inline-form">
                <xsl:call-template name="csrf-field"/>
                <button class="button button-small" type="submit">Unhide</button>
              </form>
            </xsl:when>
          </xsl:choose>
          <xsl:if test="@status = 'visible' or @status = 'held'">
            <form method="post" action="/p/{@id}/hide" class="inline-form">
              <xsl:call-template name="csrf-field"/>
              <label class="visually-hidden" for="hide-reason-{@id}">Reason for hiding</label>
              <input id="hide-reason-{@id}" name="reason" type="text" maxlength="512" placeholder="Reason"/>
              <button class="button button-small" type="submit">Hide</button>
            </form>
          </xsl:if>
          <xsl:if test="@status != 'deleted'">
            <form method="post" action="/p/{@id}/delete" class="inline-form">
              <xsl:call-template name="csrf-field"/>
              <label class="visually-hidden" for="delete-reason-{@id}">Reason for deleting</label>
              <input id="delete-reason-{@id}" name="reason" type="text" maxlength="512" placeholder="Reason" required="required"/>
              <button class="button button-small button-danger" type="submit">Delete</button>
            </form>
          </xsl:if>
        </xsl:if>
      </footer>
    </li>
  </xsl:template>

  <!-- The markup tree of a post body (modules/communities/markup.h). -->
  <xsl:template match="p" mode="markup">
    <p><xsl:apply-templates select="*" mode="markup"/></p>
  </xsl:template>
  <xsl:template match="ul" mode="markup">
    <ul><xsl:apply-templates select="li" mode="markup"/></ul>
  </xsl:template>
  <xsl:template match="ol" mode="markup">
    <ol><xsl:apply-templates select="li" mode="markup"/></ol>
  </xsl:template>
  <xsl:template match="li" mode="markup">
    <li><xsl:apply-templates select="*" mode="markup"/></li>
  </xsl:template>
  <xsl:template match="pre" mode="markup">
    <pre><code><xsl:value-of select="."/></code></pre>
  </xsl:template>
  <xsl:template match="t" mode="markup">
    <xsl:value-of select="."/>
  </xsl:template>
  <xsl:template match="br" mode="markup">
    <br/>
  </xsl:template>
  <xsl:template match="code" mode="markup">
    <code><xsl:value-of select="."/></code>
  </xsl:template>
  <xsl:template match="a" mode="markup">
    <xsl:choose>
      <xsl:when test="starts-with(translate(@href, 'HTPS', 'htps'), 'https://') or starts-with(translate(@href, 'HTP', 'htp'), 'http://')">
        <a href="{@href}" rel="nofollow noopener"><xsl:value-of select="."/></a>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="mention[@user]" mode="markup">
    <a class="mention" href="/directory/people/{@user}">@<xsl:value-of select="@login"/></a>
  </xsl:template>
  <xsl:template match="mention" mode="markup">
    <xsl:text>@</xsl:text><xsl:value-of select="@login"/>
  </xsl:template>
  <xsl:template match="*" mode="markup"/>

</xsl:stylesheet>
