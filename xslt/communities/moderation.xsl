<?xml version="1.0" encoding="UTF-8"?>
<!--
  communities/moderation.xsl - the moderation queue of a community at
  /c/{slug}/moderation (modules/communities/moderation_queue.c), and the
  page that asks a moderator for the reason an action needs when the form
  that posted it had none (modules/communities/moderation_posts.c).

  Input, inside the core's <page> envelope, one of:

    <moderation first="yes|no">
      <community id="" slug="" name="" ...><description/></community>
      <item kind="report|held" id="" at="" reporter="">
        <reason>...</reason>                    (reports only)
        <post id="" thread="" status="" thread-status="" first="yes"
            author="" created-at=""><title/><excerpt/></post>
      </item>...
      <next after="" after-kind="" after-id=""/>
    </moderation>

    <moderation-action action="hide|delete|..." target="post" id="" back="">
      <community .../> <post .../> <error>...</error>
    </moderation-action>

  Every item shows its post as text (the author's source, never markup)
  and POST forms, each with the CSRF field and a labelled reason, to hide,
  delete or approve the post and to dismiss a report; they return here
  (back=queue).  The next page is a GET form carrying the keyset position.

  To add an action to an item, add a form to the "item-actions" template.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>

  <xsl:variable name="q" select="/page/moderation"/>
  <xsl:variable name="act" select="/page/moderation-action"/>
  <xsl:variable name="comm" select="($q | $act)/community"/>

  <xsl:template match="page" mode="title">
    <xsl:choose>
      <xsl:when test="$act">Give a reason</xsl:when>
      <xsl:otherwise>Moderation queue</xsl:otherwise>
    </xsl:choose>
    <xsl:text> · </xsl:text>
    <xsl:value-of select="$comm/@name"/>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container">
      <xsl:choose>
        <xsl:when test="$act"><xsl:apply-templates select="$act"/></xsl:when>
        <xsl:otherwise><xsl:apply-templates select="$q"/></xsl:otherwise>
      </xsl:choose>
    </div>
  </xsl:template>

  <xsl:template match="moderation">
    <div class="page-head">
      <p class="eyebrow"><a href="/c/{$comm/@slug}"><xsl:value-of select="$comm/@name"/></a></p>
      <h1>Moderation queue</h1>
      <p class="muted">Reports from members and posts held for review, oldest first.
        Every action is recorded in the <a href="/c/{$comm/@slug}/moderation/log">moderation log</a> with your reason.</p>
    </div>
    <xsl:choose>
      <xsl:when test="not(item)">
        <div class="empty-state">
          <p class="empty-title">Nothing waits for a moderator.</p>
        </div>
      </xsl:when>
      <xsl:otherwise>
        <ol class="modqueue">
          <xsl:apply-templates select="item"/>
        </ol>
      </xsl:otherwise>
    </xsl:choose>
    <nav class="pager" aria-label="Pages">
      <xsl:if test="@first = 'no'">
        <a class="button button-secondary" href="/c/{$comm/@slug}/moderation">First page</a>
      </xsl:if>
      <xsl:if test="next">
        <form class="pager-form" method="get" action="/c/{$comm/@slug}/moderation">
          <input type="hidden" name="after" value="{next/@after}"/>
          <input type="hidden" name="after_kind" value="{next/@after-kind}"/>
          <input type="hidden" name="after_id" value="{next/@after-id}"/>
          <button class="button button-secondary" type="submit">Next page</button>
        </form>
      </xsl:if>
    </nav>
  </xsl:template>

  <xsl:template match="item">
    <li class="panel modqueue-item" id="{@kind}-{@id}">
      <h2 class="section-head">
        <xsl:choose>
          <xsl:when test="@kind = 'report'">
            <xsl:text>Report by </xsl:text>
            <xsl:value-of select="@reporter"/>
          </xsl:when>
          <xsl:otherwise>Post held for review</xsl:otherwise>
        </xsl:choose>
        <span class="muted"><xsl:text> · </xsl:text><xsl:value-of select="@at"/></span>
      </h2>
      <xsl:if test="@kind = 'report'">
        <p><strong>Reason: </strong><xsl:value-of select="reason"/></p>
      </xsl:if>
      <xsl:apply-templates select="post"/>
      <xsl:call-template name="item-actions"/>
    </li>
  </xsl:template>

  <xsl:template match="post">
    <blockquote class="modqueue-post">
      <p>
        <a href="/t/{@thread}"><xsl:value-of select="title"/></a>
        <span class="muted">
          <xsl:text> · </xsl:text>
          <xsl:value-of select="@author"/>
          <xsl:text> · </xsl:text>
          <xsl:value-of select="@created-at"/>
          <xsl:text> · </xsl:text>
          <xsl:call-template name="status-name">
            <xsl:with-param name="status" select="@status"/>
          </xsl:call-template>
          <xsl:if test="@first = 'yes'"> · opening post</xsl:if>
        </span>
      </p>
      <xsl:call-template name="paragraphs">
        <xsl:with-param name="text" select="excerpt"/>
      </xsl:call-template>
    </blockquote>
  </xsl:template>

  <xsl:template name="status-name">
    <xsl:param name="status"/>
    <xsl:choose>
      <xsl:when test="$status = 'visible'">Visible</xsl:when>
      <xsl:when test="$status = 'held'">Held for review</xsl:when>
      <xsl:when test="$status = 'hidden'">Hidden</xsl:when>
      <xsl:when test="$status = 'deleted'">Deleted</xsl:when>
      <xsl:otherwise><xsl:value-of select="$status"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- One POST form per action; the reason field is labelled per item. -->
  <xsl:template name="item-actions">
    <xsl:variable name="pid" select="post/@id"/>
    <div class="actions modqueue-actions">
      <xsl:if test="post/@status = 'held'">
        <xsl:call-template name="action-form">
          <xsl:with-param name="action" select="'approve'"/>
          <xsl:with-param name="label" select="'Approve'"/>
          <xsl:with-param name="uid" select="concat(@kind, @id, '-approve')"/>
        </xsl:call-template>
      </xsl:if>
      <xsl:if test="post/@status = 'visible' or post/@status = 'held'">
        <xsl:call-template name="action-form">
          <xsl:with-param name="action" select="'hide'"/>
          <xsl:with-param name="label" select="'Hide'"/>
          <xsl:with-param name="uid" select="concat(@kind, @id, '-hide')"/>
          <xsl:with-param name="required" select="true()"/>
        </xsl:call-template>
      </xsl:if>
      <xsl:if test="post/@status != 'deleted'">
        <xsl:call-template name="action-form">
          <xsl:with-param name="action" select="'delete'"/>
          <xsl:with-param name="label" select="'Delete'"/>
          <xsl:with-param name="uid" select="concat(@kind, @id, '-delete')"/>
          <xsl:with-param name="required" select="true()"/>
          <xsl:with-param name="danger" select="true()"/>
        </xsl:call-template>
      </xsl:if>
      <xsl:if test="@kind = 'report'">
        <form method="post" action="/c/{$comm/@slug}/moderation/reports/{@id}/dismiss">
          <xsl:call-template name="csrf-field"/>
          <div class="field">
            <label for="dismiss-{@id}">Why dismiss this report? <span class="muted">(optional)</span></label>
            <input class="input" type="text" id="dismiss-{@id}" name="reason" maxlength="500"/>
          </div>
          <button class="button button-small button-secondary" type="submit">Dismiss report</button>
        </form>
      </xsl:if>
    </div>
  </xsl:template>

  <xsl:template name="action-form">
    <xsl:param name="action"/>
    <xsl:param name="label"/>
    <xsl:param name="uid"/>
    <xsl:param name="required" select="false()"/>
    <xsl:param name="danger" select="false()"/>
    <form method="post" action="/p/{post/@id}/{$action}">
      <xsl:call-template name="csrf-field"/>
      <input type="hidden" name="back" value="queue"/>
      <div class="field">
        <label for="{$uid}">
          <xsl:value-of select="$label"/>
          <xsl:text>: reason</xsl:text>
          <xsl:if test="not($required)">
            <xsl:text> </xsl:text>
            <span class="muted">(optional)</span>
          </xsl:if>
        </label>
        <input class="input" type="text" id="{$uid}" name="reason" maxlength="500">
          <xsl:if test="$required">
            <xsl:attribute name="required">required</xsl:attribute>
          </xsl:if>
        </input>
      </div>
      <button type="submit">
        <xsl:attribute name="class">
          <xsl:text>button button-small</xsl:text>
          <xsl:if test="$danger"> button-danger</xsl:if>
        </xsl:attribute>
        <xsl:value-of select="$label"/>
      </button>
    </form>
  </xsl:template>

  <!-- The reason page: the same action again, with its reason field. -->
  <xsl:template match="moderation-action">
    <div class="page-head">
      <p class="eyebrow"><a href="/c/{$comm/@slug}"><xsl:value-of select="$comm/@name"/></a></p>
      <h1>
        <xsl:choose>
          <xsl:when test="@action = 'hide'">Hide this post</xsl:when>
          <xsl:when test="@action = 'delete'">Delete this post</xsl:when>
          <xsl:otherwise>Moderate this post</xsl:otherwise>
        </xsl:choose>
      </h1>
    </div>
    <div class="error-summary" role="alert" tabindex="-1">
      <p><a href="#reason"><xsl:value-of select="error"/></a></p>
    </div>
    <xsl:apply-templates select="post"/>
    <form method="post" action="/p/{@id}/{@action}">
      <xsl:call-template name="csrf-field"/>
      <xsl:if test="@back">
        <input type="hidden" name="back" value="{@back}"/>
      </xsl:if>
      <div class="field">
        <label for="reason">Reason</label>
        <textarea class="input" id="reason" name="reason" rows="3" maxlength="500" required="required"/>
      </div>
      <p class="actions">
        <button class="button button-primary" type="submit">
          <xsl:choose>
            <xsl:when test="@action = 'hide'">Hide post</xsl:when>
            <xsl:when test="@action = 'delete'">Delete post</xsl:when>
            <xsl:otherwise>Confirm</xsl:otherwise>
          </xsl:choose>
        </button>
        <xsl:text> </xsl:text>
        <a class="button button-quiet" href="/t/{post/@thread}">Cancel</a>
      </p>
    </form>
  </xsl:template>

</xsl:stylesheet>
