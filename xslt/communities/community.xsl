<?xml version="1.0" encoding="UTF-8"?>
<!--
  communities/community.xsl - a community's page at /c/{slug}
  (modules/communities/discussions.c).

  Input, inside the core's <page> envelope:

    <community-page>
      <community id="" slug="" name="" visibility="" join-policy=""
          private="yes" readable="yes" member="yes" manager="yes"
          moderator="yes"><description>text</description></community>
      <threads after="" next="">
        <thread id="" title="" status="" locked="yes" pinned="yes"
            featured="yes" replies="" created="" last-post-at="">
          <author id="" login="" name=""/><last-by login="" name=""/>
        </thread>...
      </threads>
      <held><thread .../>...</held>
    </community-page>

  A reader who may read the community sees its threads, pinned first, with
  "Older threads" (?after=) at the foot; members see "New thread", readers
  of an open community who have not joined see a Join button.  A listed
  community the reader may not read shows only its description and the
  way in: "Ask to join" (request policy) or "By invitation only".  Joining
  and asking are H1's routes (communities.c), posted with the CSRF field.

  To show another thread fact, add its attribute in discussions.c
  (thread_row) and a cell below.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>

  <xsl:variable name="cp" select="/page/community-page"/>
  <xsl:variable name="c" select="$cp/community"/>

  <xsl:template match="page" mode="title">
    <xsl:value-of select="$c/@name"/>
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
        <p class="eyebrow"><a href="/communities">Communities</a></p>
        <h1><xsl:value-of select="$c/@name"/></h1>
        <xsl:call-template name="paragraphs">
          <xsl:with-param name="text" select="$c/description"/>
          <xsl:with-param name="class" select="'muted'"/>
        </xsl:call-template>
        <p class="actions">
          <xsl:choose>
            <xsl:when test="$c/@readable = 'yes' and ($c/@member = 'yes' or $c/@moderator = 'yes')">
              <a class="button button-primary" href="/c/{$c/@slug}/threads/new">New thread</a>
              <a class="button button-secondary" href="/c/{$c/@slug}/members">Members</a>
            </xsl:when>
            <xsl:when test="$c/@join-policy = 'open'">
              <form method="post" action="/c/{$c/@slug}/join" class="inline-form">
                <xsl:call-template name="csrf-field"/>
                <button class="button button-primary" type="submit">Join this community</button>
              </form>
            </xsl:when>
            <xsl:when test="$c/@join-policy = 'request'">
              <form method="post" action="/c/{$c/@slug}/requests" class="inline-form">
                <xsl:call-template name="csrf-field"/>
                <label for="join-message">Why would you like to join? (optional)</label>
                <input id="join-message" name="message" type="text" maxlength="1000"/>
                <button class="button button-primary" type="submit">Ask to join</button>
              </form>
            </xsl:when>
            <xsl:otherwise>
              <span class="muted">This community is open by invitation only.</span>
            </xsl:otherwise>
          </xsl:choose>
          <xsl:if test="$c/@readable = 'yes'">
            <a class="button button-quiet" href="/c/{$c/@slug}/contributors">Top contributors</a>
            <xsl:if test="$c/@moderator = 'yes'">
              <a class="button button-quiet" href="/c/{$c/@slug}/moderation">Moderation queue</a>
              <a class="button button-quiet" href="/c/{$c/@slug}/moderation/log">Moderation log</a>
            </xsl:if>
            <xsl:if test="$c/@manager = 'yes'">
              <a class="button button-quiet" href="/c/{$c/@slug}/settings">Settings</a>
            </xsl:if>
            <a class="button button-quiet" href="/c/{$c/@slug}/feed.atom">Atom feed</a>
          </xsl:if>
        </p>
      </div>

      <xsl:if test="$c/@readable = 'yes'">
        <xsl:if test="$cp/held/thread">
          <section class="panel" aria-labelledby="held-title">
            <h2 id="held-title">Your threads awaiting review</h2>
            <p class="muted">A moderator reviews the first posts of new members before others see them.</p>
            <xsl:apply-templates select="$cp/held" mode="table"/>
          </section>
        </xsl:if>
        <section class="panel" aria-labelledby="threads-title">
          <h2 id="threads-title">Threads</h2>
          <xsl:choose>
            <xsl:when test="$cp/threads/thread">
              <xsl:apply-templates select="$cp/threads" mode="table"/>
            </xsl:when>
            <xsl:when test="$cp/threads/@after">
              <p class="muted">No older threads.</p>
            </xsl:when>
            <xsl:otherwise>
              <p class="muted">No threads yet. Start the first conversation.</p>
            </xsl:otherwise>
          </xsl:choose>
          <nav class="pager" aria-label="Thread pages">
            <xsl:if test="$cp/threads/@after">
              <a href="/c/{$c/@slug}">Newest threads</a>
            </xsl:if>
            <xsl:if test="$cp/threads/@next">
              <xsl:text> </xsl:text>
              <a rel="next" href="/c/{$c/@slug}?after={$cp/threads/@next}">Older threads</a>
            </xsl:if>
          </nav>
        </section>
      </xsl:if>
    </div>
  </xsl:template>

  <xsl:template match="threads | held" mode="table">
    <table class="table stack threads">
      <caption class="visually-hidden">Threads of this community</caption>
      <thead>
        <tr>
          <th scope="col">Thread</th>
          <th scope="col">Started by</th>
          <th scope="col">Replies</th>
          <th scope="col">Last post</th>
        </tr>
      </thead>
      <tbody>
        <xsl:for-each select="thread">
          <tr>
            <th scope="row" data-label="Thread">
              <xsl:if test="@pinned = 'yes'"><span class="tag">Pinned</span><xsl:text> </xsl:text></xsl:if>
              <xsl:if test="@featured = 'yes'"><span class="tag">Featured</span><xsl:text> </xsl:text></xsl:if>
              <xsl:if test="@locked = 'yes'"><span class="tag">Locked</span><xsl:text> </xsl:text></xsl:if>
              <xsl:if test="@status != 'visible'"><span class="tag tag-status"><xsl:value-of select="@status"/></span><xsl:text> </xsl:text></xsl:if>
              <a class="thread-title" href="/t/{@id}"><xsl:value-of select="@title"/></a>
            </th>
            <td data-label="Started by"><xsl:value-of select="author/@name"/></td>
            <td data-label="Replies"><xsl:value-of select="@replies"/></td>
            <td data-label="Last post" class="nowrap">
              <xsl:call-template name="when">
                <xsl:with-param name="t" select="@last-post-at"/>
              </xsl:call-template>
              <xsl:if test="last-by">
                <span class="muted small"><xsl:text> by </xsl:text><xsl:value-of select="last-by/@name"/></span>
              </xsl:if>
            </td>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
  </xsl:template>

</xsl:stylesheet>
