<?xml version="1.0" encoding="UTF-8"?>
<!--
  auth/admin_users.xsl - the users page of portal administrators at
  /admin/users (modules/auth/admin_users.c).

  Input, inside the core's <page> envelope:

    <users status="" organisation="" source="" q="" first="yes|no">
      <organisation slug="" name=""/>...
      <user id="" login="" name="" email="" source="" status=""
          disabled-reason="" last-login="" organisation="" sessions="">
        <role>partner_user</role>...
      </user>...
      <next after="login" after-id="42"/>
    </users>

  A filter form (GET: text search, status, organisation, source), the users
  as a table (stacked cards on a phone) with their status, roles, last
  sign-in and active sessions, an "End sessions" button per user with
  sessions (a POST form with the CSRF field), and the next page as a GET
  form that carries the filters and the keyset position, so no URL has to
  be built here.

  To add a column, add its attribute in admin_users.c and a th/td pair below.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>
  <xsl:import href="roles.xsl"/>

  <xsl:variable name="users" select="/page/users"/>

  <xsl:template match="page" mode="title">Users</xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container">
      <div class="page-head">
        <h1>Users</h1>
        <p class="muted">Everyone who has signed in to the portal. Accounts are created at their first sign-in; roles follow their directory groups.</p>
      </div>

      <form class="filters" method="get" action="/admin/users" role="search" aria-label="Filter users">
        <div class="field field-grow">
          <label for="q">Search</label>
          <input class="input" type="search" id="q" name="q" value="{$users/@q}"
              placeholder="Login, name or email" autocomplete="off"/>
        </div>
        <div class="field">
          <label for="status">Status</label>
          <select class="input" id="status" name="status">
            <xsl:call-template name="option">
              <xsl:with-param name="value" select="''"/>
              <xsl:with-param name="label" select="'Any'"/>
              <xsl:with-param name="current" select="$users/@status"/>
            </xsl:call-template>
            <xsl:call-template name="option">
              <xsl:with-param name="value" select="'active'"/>
              <xsl:with-param name="label" select="'Active'"/>
              <xsl:with-param name="current" select="$users/@status"/>
            </xsl:call-template>
            <xsl:call-template name="option">
              <xsl:with-param name="value" select="'disabled'"/>
              <xsl:with-param name="label" select="'Disabled'"/>
              <xsl:with-param name="current" select="$users/@status"/>
            </xsl:call-template>
          </select>
        </div>
        <div class="field">
          <label for="organisation">Organisation</label>
          <select class="input" id="organisation" name="organisation">
            <xsl:call-template name="option">
              <xsl:with-param name="value" select="''"/>
              <xsl:with-param name="label" select="'Any'"/>
              <xsl:with-param name="current" select="$users/@organisation"/>
            </xsl:call-template>
            <xsl:for-each select="$users/organisation">
              <xsl:call-template name="option">
                <xsl:with-param name="value" select="@slug"/>
                <xsl:with-param name="label" select="@name"/>
                <xsl:with-param name="current" select="$users/@organisation"/>
              </xsl:call-template>
            </xsl:for-each>
          </select>
        </div>
        <div class="field">
          <label for="source">Source</label>
          <select class="input" id="source" name="source">
            <xsl:call-template name="option">
              <xsl:with-param name="value" select="''"/>
              <xsl:with-param name="label" select="'Any'"/>
              <xsl:with-param name="current" select="$users/@source"/>
            </xsl:call-template>
            <xsl:call-template name="option">
              <xsl:with-param name="value" select="'ldap'"/>
              <xsl:with-param name="label" select="'Directory (LDAP)'"/>
              <xsl:with-param name="current" select="$users/@source"/>
            </xsl:call-template>
            <xsl:call-template name="option">
              <xsl:with-param name="value" select="'oidc'"/>
              <xsl:with-param name="label" select="'OpenID Connect'"/>
              <xsl:with-param name="current" select="$users/@source"/>
            </xsl:call-template>
            <xsl:call-template name="option">
              <xsl:with-param name="value" select="'header'"/>
              <xsl:with-param name="label" select="'Web server sign-in'"/>
              <xsl:with-param name="current" select="$users/@source"/>
            </xsl:call-template>
          </select>
        </div>
        <div class="field field-actions">
          <button class="button button-primary" type="submit">Filter</button>
          <a class="button button-quiet" href="/admin/users">Clear</a>
        </div>
      </form>

      <xsl:choose>
        <xsl:when test="not($users/user)">
          <div class="empty-state">
            <p class="empty-title">No users match these filters.</p>
            <p><a href="/admin/users">Show everyone</a></p>
          </div>
        </xsl:when>
        <xsl:otherwise>
          <table class="table stack users-table">
            <caption class="visually-hidden">Users</caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Organisation</th>
                <th scope="col">Status</th>
                <th scope="col">Roles</th>
                <th scope="col">Last sign-in</th>
                <th scope="col">Sessions</th>
              </tr>
            </thead>
            <tbody>
              <xsl:apply-templates select="$users/user"/>
            </tbody>
          </table>
        </xsl:otherwise>
      </xsl:choose>

      <nav class="pager" aria-label="Pages">
        <xsl:if test="$users/@first = 'no'">
          <xsl:call-template name="page-form">
            <xsl:with-param name="label" select="'First page'"/>
          </xsl:call-template>
        </xsl:if>
        <xsl:if test="$users/next">
          <xsl:call-template name="page-form">
            <xsl:with-param name="label" select="'Next page'"/>
            <xsl:with-param name="next" select="$users/next"/>
          </xsl:call-template>
        </xsl:if>
      </nav>
    </div>
  </xsl:template>

  <xsl:template match="user">
    <tr>
      <th scope="row" data-label="User">
        <span class="user-name">
          <xsl:value-of select="@name"/>
          <xsl:if test="normalize-space(@name) = ''"><xsl:value-of select="@login"/></xsl:if>
        </span>
        <span class="user-meta">
          <code class="wrap"><xsl:value-of select="@login"/></code>
          <xsl:if test="normalize-space(@email) != ''">
            <xsl:text> · </xsl:text>
            <xsl:value-of select="@email"/>
          </xsl:if>
        </span>
        <span class="user-meta muted">
          <xsl:call-template name="source-name">
            <xsl:with-param name="source" select="@source"/>
          </xsl:call-template>
        </span>
      </th>
      <td data-label="Organisation">
        <xsl:choose>
          <xsl:when test="@organisation"><xsl:value-of select="@organisation"/></xsl:when>
          <xsl:otherwise><span class="muted">None</span></xsl:otherwise>
        </xsl:choose>
      </td>
      <td data-label="Status">
        <span class="status status-{@status}">
          <xsl:choose>
            <xsl:when test="@status = 'active'">Active</xsl:when>
            <xsl:otherwise>Disabled</xsl:otherwise>
          </xsl:choose>
        </span>
        <xsl:if test="@disabled-reason">
          <span class="user-meta muted"><xsl:value-of select="@disabled-reason"/></span>
        </xsl:if>
      </td>
      <td data-label="Roles">
        <xsl:for-each select="role">
          <span class="tag">
            <xsl:call-template name="role-name">
              <xsl:with-param name="role" select="."/>
            </xsl:call-template>
          </span>
          <xsl:text> </xsl:text>
        </xsl:for-each>
        <xsl:if test="not(role)"><span class="muted">None</span></xsl:if>
      </td>
      <td data-label="Last sign-in" class="nowrap">
        <xsl:choose>
          <xsl:when test="@last-login"><xsl:value-of select="@last-login"/></xsl:when>
          <xsl:otherwise><span class="muted">Never</span></xsl:otherwise>
        </xsl:choose>
      </td>
      <td data-label="Sessions" class="cell-action">
        <span class="session-count"><xsl:value-of select="@sessions"/></span>
        <xsl:if test="@sessions &gt; 0">
          <form method="post" action="/admin/users/{@id}/sessions/end">
            <xsl:call-template name="csrf-field"/>
            <button class="button button-small" type="submit">
              <xsl:text>End sessions</xsl:text>
              <span class="visually-hidden">
                <xsl:text> of </xsl:text>
                <xsl:value-of select="@login"/>
              </span>
            </button>
          </form>
        </xsl:if>
      </td>
    </tr>
  </xsl:template>

  <xsl:template name="option">
    <xsl:param name="value"/>
    <xsl:param name="label"/>
    <xsl:param name="current"/>
    <option value="{$value}">
      <xsl:if test="string($value) = string($current)">
        <xsl:attribute name="selected">selected</xsl:attribute>
      </xsl:if>
      <xsl:value-of select="$label"/>
    </option>
  </xsl:template>

  <!-- A page link as a GET form: the browser encodes the values. -->
  <xsl:template name="page-form">
    <xsl:param name="label"/>
    <xsl:param name="next"/>
    <form class="pager-form" method="get" action="/admin/users">
      <xsl:for-each select="$users/@q | $users/@status | $users/@organisation | $users/@source">
        <input type="hidden" name="{name()}" value="{.}"/>
      </xsl:for-each>
      <xsl:if test="$next">
        <input type="hidden" name="after" value="{$next/@after}"/>
        <input type="hidden" name="after_id" value="{$next/@after-id}"/>
      </xsl:if>
      <button class="button button-secondary" type="submit"><xsl:value-of select="$label"/></button>
    </form>
  </xsl:template>

</xsl:stylesheet>
