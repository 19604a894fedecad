<?xml version="1.0" encoding="UTF-8"?>
<!--
  communities/list.xsl - the communities page at /communities
  (modules/communities/communities.c).

  Input, inside the core's <page> envelope:

    <communities can-create="yes">
      <community id="" slug="" name="" visibility="" join-policy=""
          private="yes" readable="yes" member="yes" directory="yes"
          manager="yes" members="12"><description>..</description></community>...
      <invitation id="" expires="" inviter=""><community .../></invitation>...
      <request slug="" name="" created=""/>...
      <next after="" after-id=""/>       (a next page, keyset on name, id)
    </communities>

  Shows the invitations waiting for the user (accept / decline forms), the
  communities they belong to, then the others they may join (open: a Join
  button; by request: a short form), and their pending requests.  Counts
  appear only where the XML carries them (communities the user may read).

  To show another fact of a community, add its attribute in communities.c
  (communities_list_get) and a line to the "community-card" template.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>

  <xsl:variable name="list" select="/page/communities"/>

  <xsl:template match="page" mode="title">Communities</xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container">
      <div class="page-head comm-head">
        <h1>Communities</h1>
        <p class="muted">Discuss with the vendor's team and other partners. Private communities are only for the people invited to them.</p>
        <xsl:if test="$list/@can-create = 'yes'">
          <p class="actions"><a class="button button-primary" href="/communities/new">New community</a></p>
        </xsl:if>
      </div>

      <xsl:if test="$list/invitation">
        <section class="panel" aria-labelledby="inv-title">
          <h2 id="inv-title">Invitations for you</h2>
          <ul class="comm-list">
            <xsl:for-each select="$list/invitation">
              <li class="comm-card">
                <h3><xsl:value-of select="community/@name"/></h3>
                <p class="muted small">
                  <xsl:text>Invited by </xsl:text>
                  <xsl:value-of select="@inviter"/>
                  <xsl:text> · open until </xsl:text>
                  <xsl:value-of select="@expires"/>
                </p>
                <xsl:call-template name="paragraphs">
                  <xsl:with-param name="text" select="community/description"/>
                </xsl:call-template>
                <div class="comm-actions">
                  <form method="post" action="/communities/invitations/{@id}">
                    <xsl:call-template name="csrf-field"/>
                    <input type="hidden" name="action" value="accept"/>
                    <button class="button button-primary" type="submit">
                      <xsl:text>Accept</xsl:text>
                      <span class="visually-hidden"> the invitation to <xsl:value-of select="community/@name"/></span>
                    </button>
                  </form>
                  <form method="post" action="/communities/invitations/{@id}">
                    <xsl:call-template name="csrf-field"/>
                    <input type="hidden" name="action" value="decline"/>
                    <button class="button button-secondary" type="submit">
                      <xsl:text>Decline</xsl:text>
                      <span class="visually-hidden"> the invitation to <xsl:value-of select="community/@name"/></span>
                    </button>
                  </form>
                </div>
              </li>
            </xsl:for-each>
          </ul>
        </section>
      </xsl:if>

      <section class="section" aria-labelledby="mine-title">
        <h2 id="mine-title">Your communities</h2>
        <xsl:choose>
          <xsl:when test="$list/community[@member = 'yes']">
            <ul class="comm-list">
              <xsl:apply-templates select="$list/community[@member = 'yes']"/>
            </ul>
          </xsl:when>
          <xsl:otherwise>
            <div class="empty-state">
              <p class="empty-title">You are not in any community yet.</p>
              <p>Join one of the communities below, or accept an invitation.</p>
            </div>
          </xsl:otherwise>
        </xsl:choose>
      </section>

      <xsl:if test="$list/community[not(@member = 'yes')]">
        <section class="section" aria-labelledby="other-title">
          <h2 id="other-title">Other communities</h2>
          <ul class="comm-list">
            <xsl:apply-templates select="$list/community[not(@member = 'yes')]"/>
          </ul>
        </section>
      </xsl:if>

      <xsl:if test="$list/next or $list/@first = 'no'">
        <nav class="pager" aria-label="Pages">
          <xsl:if test="$list/@first = 'no'">
            <a class="button button-secondary" href="/communities">First page</a>
          </xsl:if>
          <xsl:if test="$list/next">
            <form class="pager-form" method="get" action="/communities">
              <input type="hidden" name="after" value="{$list/next/@after}"/>
              <input type="hidden" name="after_id" value="{$list/next/@after-id}"/>
              <button class="button button-secondary" type="submit">Next page</button>
            </form>
          </xsl:if>
        </nav>
      </xsl:if>

      <xsl:if test="$list/request">
        <section class="panel" aria-labelledby="req-title">
          <h2 id="req-title">Your requests to join</h2>
          <ul class="group-list">
            <xsl:for-each select="$list/request">
              <li>
                <xsl:value-of select="@name"/>
                <span class="muted small"> · asked <xsl:value-of select="@created"/>, waiting for a manager</span>
              </li>
            </xsl:for-each>
          </ul>
        </section>
      </xsl:if>
    </div>
  </xsl:template>

  <xsl:template match="community">
    <xsl:variable name="slug" select="@slug"/>
    <li class="comm-card">
      <h3>
        <xsl:choose>
          <xsl:when test="@readable = 'yes'">
            <a href="/c/{@slug}"><xsl:value-of select="@name"/></a>
          </xsl:when>
          <xsl:otherwise><xsl:value-of select="@name"/></xsl:otherwise>
        </xsl:choose>
      </h3>
      <p class="comm-tags">
        <xsl:if test="@private = 'yes'"><span class="tag">Private</span><xsl:text> </xsl:text></xsl:if>
        <xsl:if test="@manager = 'yes'"><span class="tag">Manager</span><xsl:text> </xsl:text></xsl:if>
        <xsl:if test="@directory = 'yes'"><span class="tag">Through your directory group</span><xsl:text> </xsl:text></xsl:if>
        <span class="muted small">
          <xsl:call-template name="policy-name"/>
          <xsl:if test="@members">
            <xsl:text> · </xsl:text>
            <xsl:value-of select="@members"/>
            <xsl:text> members</xsl:text>
          </xsl:if>
        </span>
      </p>
      <xsl:call-template name="paragraphs">
        <xsl:with-param name="text" select="description"/>
      </xsl:call-template>
      <xsl:if test="not(@member = 'yes')">
        <div class="comm-actions">
          <xsl:choose>
            <xsl:when test="@join-policy = 'open' and not(@private = 'yes')">
              <form method="post" action="/c/{@slug}/join">
                <xsl:call-template name="csrf-field"/>
                <button class="button button-primary" type="submit">
                  <xsl:text>Join</xsl:text>
                  <span class="visually-hidden"><xsl:text> </xsl:text><xsl:value-of select="@name"/></span>
                </button>
              </form>
            </xsl:when>
            <xsl:when test="@join-policy = 'request' and $list/request[@slug = $slug]">
              <p class="muted">You asked to join; a manager will decide.</p>
            </xsl:when>
            <xsl:when test="@join-policy = 'request'">
              <form class="comm-request" method="post" action="/c/{@slug}/requests">
                <xsl:call-template name="csrf-field"/>
                <div class="field">
                  <label for="msg-{@id}">Why you would like to join <span class="muted">(optional)</span></label>
                  <textarea class="input" id="msg-{@id}" name="message" rows="2" maxlength="1000"/>
                </div>
                <button class="button button-secondary" type="submit">
                  <xsl:text>Ask to join</xsl:text>
                  <span class="visually-hidden"><xsl:text> </xsl:text><xsl:value-of select="@name"/></span>
                </button>
              </form>
            </xsl:when>
            <xsl:otherwise>
              <p class="muted">Its managers invite its members.</p>
            </xsl:otherwise>
          </xsl:choose>
        </div>
      </xsl:if>
    </li>
  </xsl:template>

  <xsl:template name="policy-name">
    <xsl:choose>
      <xsl:when test="@join-policy = 'open'">Open to every partner</xsl:when>
      <xsl:when test="@join-policy = 'request'">Join by request</xsl:when>
      <xsl:otherwise>By invitation only</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
