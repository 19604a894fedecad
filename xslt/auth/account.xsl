<?xml version="1.0" encoding="UTF-8"?>
<!--
  auth/account.xsl - "Your account" at /account (modules/auth/account.c).

  Input, inside the core's <page> envelope:

    <account>
      <user login="" name="" email="" source="ldap" external-id="" created=""
          last-login="" method="ldap"/>
      <organisation name="" slug="" kind="vendor|partner" type="" tier="" region=""/>
      <role name="partner_admin" source="ldap" via-group="cn=..." confirmed=""/>...
      <group source="ldap" name="cn=..." confirmed=""><grants>partner_user</grants></group>...
      <session id="" method="" created="" last-seen="" expires="" address=""
          agent="" current="yes"/>...
    </account>

  Shows who you are, your organisation, your roles with where each came
  from, the groups your identity source reported (a long list folds into a
  <details>), and your active sessions, each with a button that ends it,
  then "Sign out everywhere".  Every button is a POST form with the CSRF
  field; nothing needs JavaScript.  Tables become stacked cards on a phone
  (the labels come from data-label, shown by portico.css).

  To show another account fact, add its attribute in account.c and a row to
  the "profile" list below.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>
  <xsl:import href="roles.xsl"/>

  <xsl:variable name="acct" select="/page/account"/>
  <xsl:variable name="user" select="$acct/user"/>

  <xsl:template match="page" mode="title">Your account</xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container">
      <div class="page-head">
        <h1>Your account</h1>
        <p class="muted">
          <xsl:text>What the partner portal knows about you, and where it came from.</xsl:text>
        </p>
      </div>

      <div class="account-grid">
        <section class="panel" aria-labelledby="profile-title">
          <h2 id="profile-title">Profile</h2>
          <dl class="facts">
            <dt>Name</dt>
            <dd><xsl:value-of select="$user/@name"/></dd>
            <dt>Login</dt>
            <dd><code><xsl:value-of select="$user/@login"/></code></dd>
            <dt>Email</dt>
            <dd>
              <xsl:choose>
                <xsl:when test="normalize-space($user/@email) != ''">
                  <xsl:value-of select="$user/@email"/>
                </xsl:when>
                <xsl:otherwise><span class="muted">Not provided</span></xsl:otherwise>
              </xsl:choose>
            </dd>
            <dt>Identity source</dt>
            <dd>
              <xsl:call-template name="source-name">
                <xsl:with-param name="source" select="$user/@source"/>
              </xsl:call-template>
            </dd>
            <dt>This session</dt>
            <dd>
              <xsl:text>Signed in with </xsl:text>
              <xsl:call-template name="source-name">
                <xsl:with-param name="source" select="$user/@method"/>
              </xsl:call-template>
            </dd>
            <dt>Portal account since</dt>
            <dd><xsl:value-of select="$user/@created"/></dd>
          </dl>
        </section>

        <section class="panel" aria-labelledby="org-title">
          <h2 id="org-title">Organisation</h2>
          <xsl:choose>
            <xsl:when test="$acct/organisation">
              <xsl:variable name="o" select="$acct/organisation"/>
              <p class="org-name"><xsl:value-of select="$o/@name"/></p>
              <dl class="facts">
                <dt>Relationship</dt>
                <dd>
                  <xsl:choose>
                    <xsl:when test="$o/@kind = 'vendor'">Vendor staff</xsl:when>
                    <xsl:otherwise>Partner</xsl:otherwise>
                  </xsl:choose>
                </dd>
                <xsl:if test="normalize-space($o/@type) != ''">
                  <dt>Partner type</dt>
                  <dd>
                    <xsl:call-template name="partner-type-name">
                      <xsl:with-param name="type" select="$o/@type"/>
                    </xsl:call-template>
                  </dd>
                </xsl:if>
                <xsl:if test="normalize-space($o/@tier) != ''">
                  <dt>Tier</dt>
                  <dd><xsl:value-of select="$o/@tier"/></dd>
                </xsl:if>
                <xsl:if test="normalize-space($o/@region) != ''">
                  <dt>Region</dt>
                  <dd><xsl:value-of select="$o/@region"/></dd>
                </xsl:if>
              </dl>
              <p class="muted small">Your organisation comes from your identity source and cannot be changed here.</p>
            </xsl:when>
            <xsl:otherwise>
              <p class="muted">Your identity source does not name an organisation the portal knows.</p>
            </xsl:otherwise>
          </xsl:choose>
        </section>
      </div>

      <section class="panel" aria-labelledby="roles-title">
        <h2 id="roles-title">Roles</h2>
        <xsl:choose>
          <xsl:when test="$acct/role">
            <table class="table stack">
              <caption class="visually-hidden">Your roles and where each came from</caption>
              <thead>
                <tr>
                  <th scope="col">Role</th>
                  <th scope="col">Granted by</th>
                  <th scope="col">Through the group</th>
                  <th scope="col">Last confirmed</th>
                </tr>
              </thead>
              <tbody>
                <xsl:for-each select="$acct/role">
                  <tr>
                    <th scope="row" data-label="Role">
                      <xsl:call-template name="role-name">
                        <xsl:with-param name="role" select="@name"/>
                      </xsl:call-template>
                    </th>
                    <td data-label="Granted by">
                      <xsl:call-template name="source-name">
                        <xsl:with-param name="source" select="@source"/>
                      </xsl:call-template>
                    </td>
                    <td data-label="Through the group">
                      <xsl:choose>
                        <xsl:when test="@via-group"><code class="wrap"><xsl:value-of select="@via-group"/></code></xsl:when>
                        <xsl:otherwise><span class="muted">Granted directly</span></xsl:otherwise>
                      </xsl:choose>
                    </td>
                    <td data-label="Last confirmed" class="nowrap"><xsl:value-of select="@confirmed"/></td>
                  </tr>
                </xsl:for-each>
              </tbody>
            </table>
          </xsl:when>
          <xsl:otherwise>
            <p class="muted">You hold no role.</p>
          </xsl:otherwise>
        </xsl:choose>
      </section>

      <section class="panel" aria-labelledby="groups-title">
        <h2 id="groups-title">
          <xsl:text>Groups </xsl:text>
          <span class="count"><xsl:value-of select="count($acct/group)"/></span>
        </h2>
        <p class="muted">What your identity source reported at your last sign-in. Groups that give a portal role are listed first.</p>
        <xsl:choose>
          <xsl:when test="not($acct/group)">
            <p class="muted">None.</p>
          </xsl:when>
          <xsl:otherwise>
            <ul class="group-list">
              <xsl:apply-templates select="$acct/group[grants]"/>
            </ul>
            <xsl:if test="$acct/group[not(grants)]">
              <details class="more">
                <summary>
                  <xsl:value-of select="count($acct/group[not(grants)])"/>
                  <xsl:text> other groups</xsl:text>
                </summary>
                <ul class="group-list">
                  <xsl:apply-templates select="$acct/group[not(grants)]"/>
                </ul>
              </details>
            </xsl:if>
          </xsl:otherwise>
        </xsl:choose>
      </section>

      <section class="panel" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Where you are signed in</h2>
        <table class="table stack">
          <caption class="visually-hidden">Your active sessions</caption>
          <thead>
            <tr>
              <th scope="col">Browser</th>
              <th scope="col">Address</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last active</th>
              <th scope="col">Method</th>
              <th scope="col"><span class="visually-hidden">Action</span></th>
            </tr>
          </thead>
          <tbody>
            <xsl:for-each select="$acct/session">
              <tr>
                <xsl:if test="@current = 'yes'">
                  <xsl:attribute name="class">current</xsl:attribute>
                </xsl:if>
                <th scope="row" data-label="Browser">
                  <span class="agent">
                    <xsl:choose>
                      <xsl:when test="normalize-space(@agent) != ''"><xsl:value-of select="@agent"/></xsl:when>
                      <xsl:otherwise>Unknown browser</xsl:otherwise>
                    </xsl:choose>
                  </span>
                  <xsl:if test="@current = 'yes'">
                    <xsl:text> </xsl:text>
                    <span class="badge-current">This browser</span>
                  </xsl:if>
                </th>
                <td data-label="Address"><xsl:value-of select="@address"/></td>
                <td data-label="Signed in" class="nowrap"><xsl:value-of select="@created"/></td>
                <td data-label="Last active" class="nowrap"><xsl:value-of select="@last-seen"/></td>
                <td data-label="Method">
                  <xsl:call-template name="method-name">
                    <xsl:with-param name="source" select="@method"/>
                  </xsl:call-template>
                </td>
                <td class="cell-action">
                  <form method="post" action="/account/sessions/{@id}/end">
                    <xsl:call-template name="csrf-field"/>
                    <button class="button button-small" type="submit">
                      <xsl:choose>
                        <xsl:when test="@current = 'yes'">Sign out here</xsl:when>
                        <xsl:otherwise>End session</xsl:otherwise>
                      </xsl:choose>
                      <span class="visually-hidden">
                        <xsl:text> started </xsl:text>
                        <xsl:value-of select="@created"/>
                      </span>
                    </button>
                  </form>
                </td>
              </tr>
            </xsl:for-each>
          </tbody>
        </table>
        <form class="signout-all" method="post" action="/account/sessions/end-all">
          <xsl:call-template name="csrf-field"/>
          <button class="button button-danger" type="submit">Sign out everywhere</button>
          <span class="muted small">Ends every session above, this one included.</span>
        </form>
      </section>
    </div>
  </xsl:template>

  <xsl:template match="group">
    <li>
      <code class="wrap"><xsl:value-of select="@name"/></code>
      <span class="muted small">
        <xsl:text> · </xsl:text>
        <xsl:call-template name="source-name">
          <xsl:with-param name="source" select="@source"/>
        </xsl:call-template>
      </span>
      <xsl:for-each select="grants">
        <xsl:text> </xsl:text>
        <span class="tag">
          <xsl:call-template name="role-name">
            <xsl:with-param name="role" select="."/>
          </xsl:call-template>
        </span>
      </xsl:for-each>
    </li>
  </xsl:template>

</xsl:stylesheet>
