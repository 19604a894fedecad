<?xml version="1.0" encoding="UTF-8"?>
<!--
  communities/members.xsl - the members of a community at /c/{slug}/members
  (modules/communities/members.c).  Also holds the heading and tabs every
  community management page shares ("comm-head") and their error summary
  ("comm-error"): requests.xsl, invitations.xsl and settings.xsl import it.

  Input, inside the core's <page> envelope:

    <community id="" slug="" name="" ... member="yes" directory="yes"
        manager="yes"><description/></community>
    <members can-manage="yes" me="42" first="yes|no">
      <member id="" login="" name="" organisation="" role="manager|member"
          source="" joined="" added-by="">
        <group>cn=...</group>...       (memberships from directory groups)
      </member>...
      <next after="" after-id=""/>
      <error>message</error>  <add login="" reason="" override="yes"/>
    </members>

  A member granted by a directory group shows the group and "managed by
  your IT department": there is no Remove or Leave button for that
  membership.  Managers get a form to add a member by login (with the
  competitor override and its reason) and, per member, Remove and
  Make manager / Make member (POST forms with the CSRF field).

  To add a column, add its attribute in members.c (members_page) and a
  th/td pair below.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>

  <xsl:variable name="comm" select="/page/community"/>
  <xsl:variable name="members" select="/page/members"/>

  <xsl:template match="page" mode="title">
    <xsl:text>Members · </xsl:text>
    <xsl:value-of select="/page/community/@name"/>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <xsl:variable name="me" select="$members/member[@id = $members/@me]"/>
    <div class="container">
      <xsl:call-template name="comm-head">
        <xsl:with-param name="manage" select="$members/@can-manage = 'yes'"/>
        <xsl:with-param name="current" select="'members'"/>
      </xsl:call-template>
      <xsl:call-template name="comm-error">
        <xsl:with-param name="error" select="$members/error"/>
      </xsl:call-template>

      <xsl:if test="$comm/@member = 'yes'">
        <section class="panel" aria-labelledby="you-title">
          <h2 id="you-title">Your membership</h2>
          <xsl:choose>
            <xsl:when test="$comm/@directory = 'yes'">
              <p>
                <xsl:text>You belong to this community through your directory group</xsl:text>
                <xsl:for-each select="$me/group">
                  <xsl:text> </xsl:text><code class="wrap"><xsl:value-of select="."/></code>
                </xsl:for-each>
                <xsl:text>. Your IT department manages this membership; it cannot be ended here.</xsl:text>
              </p>
            </xsl:when>
            <xsl:otherwise>
              <form method="post" action="/c/{$comm/@slug}/leave" class="comm-inline">
                <xsl:call-template name="csrf-field"/>
                <button class="button button-danger" type="submit">Leave this community</button>
                <span class="muted small"> You will no longer see anything in it, your own posts included.</span>
              </form>
            </xsl:otherwise>
          </xsl:choose>
        </section>
      </xsl:if>

      <xsl:if test="$members/@can-manage = 'yes'">
        <section class="panel" aria-labelledby="add-title">
          <h2 id="add-title">Add a member</h2>
          <form method="post" action="/c/{$comm/@slug}/members" class="comm-form">
            <xsl:call-template name="csrf-field"/>
            <div class="field">
              <label for="add-login">Login</label>
              <span class="field-hint" id="add-login-hint">Someone who has signed in to the portal. To reach someone new, send an invitation.</span>
              <input class="input" type="text" id="add-login" name="login" value="{$members/add/@login}"
                  required="required" aria-describedby="add-login-hint"/>
            </div>
            <xsl:call-template name="override-fields">
              <xsl:with-param name="id" select="'add'"/>
              <xsl:with-param name="checked" select="$members/add/@override = 'yes'"/>
              <xsl:with-param name="reason" select="$members/add/@reason"/>
            </xsl:call-template>
            <div class="field field-actions">
              <button class="button button-primary" type="submit">Add member</button>
            </div>
          </form>
        </section>
      </xsl:if>

      <section class="section" aria-labelledby="list-title">
        <h2 id="list-title">Members</h2>
        <xsl:choose>
          <xsl:when test="not($members/member)">
            <div class="empty-state"><p class="empty-title">No members yet.</p></div>
          </xsl:when>
          <xsl:otherwise>
            <table class="table stack">
              <caption class="visually-hidden">Members of <xsl:value-of select="$comm/@name"/></caption>
              <thead>
                <tr>
                  <th scope="col">Member</th>
                  <th scope="col">Organisation</th>
                  <th scope="col">Role</th>
                  <th scope="col">Member through</th>
                  <xsl:if test="$members/@can-manage = 'yes'">
                    <th scope="col"><span class="visually-hidden">Actions</span></th>
                  </xsl:if>
                </tr>
              </thead>
              <tbody>
                <xsl:apply-templates select="$members/member"/>
              </tbody>
            </table>
          </xsl:otherwise>
        </xsl:choose>
        <xsl:if test="$members/next or $members/@first = 'no'">
          <nav class="pager" aria-label="Pages">
            <xsl:if test="$members/@first = 'no'">
              <a class="button button-secondary" href="/c/{$comm/@slug}/members">First page</a>
            </xsl:if>
            <xsl:if test="$members/next">
              <form class="pager-form" method="get" action="/c/{$comm/@slug}/members">
                <input type="hidden" name="after" value="{$members/next/@after}"/>
                <input type="hidden" name="after_id" value="{$members/next/@after-id}"/>
                <button class="button button-secondary" type="submit">Next page</button>
              </form>
            </xsl:if>
          </nav>
        </xsl:if>
      </section>
    </div>
  </xsl:template>

  <xsl:template match="member">
    <tr>
      <th scope="row" data-label="Member">
        <span class="user-name">
          <xsl:value-of select="@name"/>
          <xsl:if test="normalize-space(@name) = ''"><xsl:value-of select="@login"/></xsl:if>
        </span>
        <span class="user-meta"><code class="wrap"><xsl:value-of select="@login"/></code></span>
      </th>
      <td data-label="Organisation">
        <xsl:choose>
          <xsl:when test="@organisation"><xsl:value-of select="@organisation"/></xsl:when>
          <xsl:otherwise><span class="muted">None</span></xsl:otherwise>
        </xsl:choose>
      </td>
      <td data-label="Role">
        <xsl:choose>
          <xsl:when test="@role = 'manager'"><span class="tag">Manager</span></xsl:when>
          <xsl:otherwise>Member</xsl:otherwise>
        </xsl:choose>
      </td>
      <td data-label="Member through">
        <xsl:if test="@role">
          <span class="comm-source">
            <xsl:call-template name="source-name"/>
            <xsl:if test="@added-by and not(@source = 'creator' or @source = 'open')">
              <xsl:text> (</xsl:text><xsl:value-of select="@added-by"/><xsl:text>)</xsl:text>
            </xsl:if>
            <xsl:text>, </xsl:text><xsl:value-of select="@joined"/>
          </span>
        </xsl:if>
        <xsl:for-each select="group">
          <span class="comm-source">
            <xsl:text>via group </xsl:text><code class="wrap"><xsl:value-of select="."/></code>
            <span class="muted small"> · managed by your IT department</span>
          </span>
        </xsl:for-each>
      </td>
      <xsl:if test="$members/@can-manage = 'yes'">
        <td class="cell-action comm-actions">
          <xsl:if test="@role">
            <form method="post" action="/c/{$comm/@slug}/members/{@id}/role">
              <xsl:call-template name="csrf-field"/>
              <xsl:choose>
                <xsl:when test="@role = 'manager'">
                  <input type="hidden" name="role" value="member"/>
                  <button class="button button-small" type="submit">Make member<span class="visually-hidden"><xsl:text> </xsl:text><xsl:value-of select="@login"/></span></button>
                </xsl:when>
                <xsl:otherwise>
                  <input type="hidden" name="role" value="manager"/>
                  <button class="button button-small" type="submit">Make manager<span class="visually-hidden"><xsl:text> </xsl:text><xsl:value-of select="@login"/></span></button>
                </xsl:otherwise>
              </xsl:choose>
            </form>
          </xsl:if>
          <xsl:if test="@role and not(group)">
            <form method="post" action="/c/{$comm/@slug}/members/{@id}/remove">
              <xsl:call-template name="csrf-field"/>
              <button class="button button-small button-danger" type="submit">Remove<span class="visually-hidden"><xsl:text> </xsl:text><xsl:value-of select="@login"/></span></button>
            </form>
          </xsl:if>
          <xsl:if test="not(@role)">
            <form method="post" action="/c/{$comm/@slug}/members/{@id}/role">
              <xsl:call-template name="csrf-field"/>
              <input type="hidden" name="role" value="manager"/>
              <button class="button button-small" type="submit">Make manager<span class="visually-hidden"><xsl:text> </xsl:text><xsl:value-of select="@login"/></span></button>
            </form>
          </xsl:if>
        </td>
      </xsl:if>
    </tr>
  </xsl:template>

  <xsl:template name="source-name">
    <xsl:choose>
      <xsl:when test="@source = 'creator'">Created the community</xsl:when>
      <xsl:when test="@source = 'invitation'">Invitation</xsl:when>
      <xsl:when test="@source = 'request'">Request approved</xsl:when>
      <xsl:when test="@source = 'manager'">Added by a manager</xsl:when>
      <xsl:when test="@source = 'open'">Joined</xsl:when>
      <xsl:otherwise><xsl:value-of select="@source"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The community's name, description and the management tabs. -->
  <xsl:template name="comm-head">
    <xsl:param name="manage"/>
    <xsl:param name="current"/>
    <xsl:variable name="c" select="/page/community"/>
    <div class="page-head comm-head">
      <p class="eyebrow"><a href="/communities">Communities</a></p>
      <h1><xsl:value-of select="$c/@name"/></h1>
      <xsl:if test="$c/@private = 'yes'"><p><span class="tag">Private</span></p></xsl:if>
    </div>
    <nav class="comm-tabs" aria-label="Community">
      <ul>
        <li><a href="/c/{$c/@slug}">Discussions</a></li>
        <xsl:call-template name="comm-tab">
          <xsl:with-param name="href" select="concat('/c/', $c/@slug, '/members')"/>
          <xsl:with-param name="label" select="'Members'"/>
          <xsl:with-param name="on" select="$current = 'members'"/>
        </xsl:call-template>
        <xsl:if test="$manage">
          <xsl:call-template name="comm-tab">
            <xsl:with-param name="href" select="concat('/c/', $c/@slug, '/invitations')"/>
            <xsl:with-param name="label" select="'Invitations'"/>
            <xsl:with-param name="on" select="$current = 'invitations'"/>
          </xsl:call-template>
          <xsl:call-template name="comm-tab">
            <xsl:with-param name="href" select="concat('/c/', $c/@slug, '/requests')"/>
            <xsl:with-param name="label" select="'Requests to join'"/>
            <xsl:with-param name="on" select="$current = 'requests'"/>
          </xsl:call-template>
          <xsl:call-template name="comm-tab">
            <xsl:with-param name="href" select="concat('/c/', $c/@slug, '/settings')"/>
            <xsl:with-param name="label" select="'Settings'"/>
            <xsl:with-param name="on" select="$current = 'settings'"/>
          </xsl:call-template>
        </xsl:if>
      </ul>
    </nav>
  </xsl:template>

  <xsl:template name="comm-tab">
    <xsl:param name="href"/>
    <xsl:param name="label"/>
    <xsl:param name="on"/>
    <li>
      <a href="{$href}">
        <xsl:if test="$on"><xsl:attribute name="aria-current">page</xsl:attribute></xsl:if>
        <xsl:value-of select="$label"/>
      </a>
    </li>
  </xsl:template>

  <xsl:template name="comm-error">
    <xsl:param name="error"/>
    <xsl:if test="$error">
      <div class="error-summary" role="alert" tabindex="-1" aria-labelledby="comm-error-title">
        <h2 id="comm-error-title">That did not work</h2>
        <p class="comm-error-text"><xsl:value-of select="$error"/></p>
      </div>
    </xsl:if>
  </xsl:template>

  <!-- The competitor override: a checkbox and its reason. -->
  <xsl:template name="override-fields">
    <xsl:param name="id"/>
    <xsl:param name="checked"/>
    <xsl:param name="reason"/>
    <details class="comm-override">
      <xsl:if test="$checked or normalize-space($reason) != '' or /page/*/error">
        <xsl:attribute name="open">open</xsl:attribute>
      </xsl:if>
      <summary>Competitor check</summary>
      <p class="muted small">People from competing organisations are kept apart. If the portal refuses someone for that reason and you are sure, override it here; the override and its reason go to the audit log.</p>
      <div class="field comm-check">
        <input type="checkbox" id="{$id}-override" name="override" value="1">
          <xsl:if test="$checked"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
        </input>
        <label for="{$id}-override">Override the competitor check</label>
      </div>
      <div class="field">
        <label for="{$id}-reason">Reason for the override</label>
        <input class="input" type="text" id="{$id}-reason" name="reason" value="{$reason}" maxlength="512"/>
      </div>
    </details>
  </xsl:template>

</xsl:stylesheet>
