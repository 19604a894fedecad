<?xml version="1.0" encoding="UTF-8"?>
<!--
  communities/invitations.xsl - a community's invitations, for its
  managers, at /c/{slug}/invitations (modules/communities/invitations.c).

  Input, inside the core's <page> envelope:

    <community .../>
    <invitations first="yes|no">
      <error>message</error> <form to="" reason="" override="yes"/>
      <link to="">https://portal/invitations/TOKEN</link>   (just made)
      <invitation id="" login="" name="" email="" inviter="" created=""
          expires="" status="" expired="yes" redeemed-by=""
          override-reason=""/>...
      <next before=""/>                 (a next page: older ones)
    </invitations>

  A new link is shown once, in a read-only field to copy (the portal keeps
  only its hash).  The form invites a login or an email address, with the
  competitor override.  The list shows each invitation's state with Revoke
  (pending) and Send again (pending or expired) forms.

  To show another fact of an invitation, add it to STMT_LIST in
  invitations.c and a td below.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="members.xsl"/>

  <xsl:variable name="invs" select="/page/invitations"/>

  <xsl:template match="page" mode="title">
    <xsl:text>Invitations · </xsl:text>
    <xsl:value-of select="/page/community/@name"/>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <xsl:variable name="slug" select="/page/community/@slug"/>
    <div class="container">
      <xsl:call-template name="comm-head">
        <xsl:with-param name="manage" select="true()"/>
        <xsl:with-param name="current" select="'invitations'"/>
      </xsl:call-template>
      <xsl:call-template name="comm-error">
        <xsl:with-param name="error" select="$invs/error"/>
      </xsl:call-template>

      <xsl:if test="$invs/link">
        <section class="panel comm-link" role="status" aria-labelledby="link-title">
          <h2 id="link-title">Send this link to <xsl:value-of select="$invs/link/@to"/></h2>
          <p class="muted small">It works only for them, once, until it expires. The portal does not keep it: copy it now.</p>
          <label class="visually-hidden" for="inv-link">Invitation link</label>
          <input class="input comm-link-field" type="text" id="inv-link" readonly="readonly" value="{$invs/link}"/>
        </section>
      </xsl:if>

      <section class="panel" aria-labelledby="new-title">
        <h2 id="new-title">Invite someone</h2>
        <form method="post" action="/c/{$slug}/invitations" class="comm-form">
          <xsl:call-template name="csrf-field"/>
          <div class="field">
            <label for="inv-to">Login or email address</label>
            <span class="field-hint" id="inv-to-hint">A login binds the invitation to that account; an email address to the account with that email.</span>
            <input class="input" type="text" id="inv-to" name="to" value="{$invs/form/@to}" required="required"
                aria-describedby="inv-to-hint"/>
          </div>
          <xsl:call-template name="override-fields">
            <xsl:with-param name="id" select="'inv'"/>
            <xsl:with-param name="checked" select="$invs/form/@override = 'yes'"/>
            <xsl:with-param name="reason" select="$invs/form/@reason"/>
          </xsl:call-template>
          <div class="field field-actions">
            <button class="button button-primary" type="submit">Create invitation</button>
          </div>
        </form>
      </section>

      <section class="section" aria-labelledby="list-title">
        <h2 id="list-title">Invitations</h2>
        <xsl:choose>
          <xsl:when test="not($invs/invitation)">
            <div class="empty-state"><p class="empty-title">No invitations yet.</p></div>
          </xsl:when>
          <xsl:otherwise>
            <table class="table stack">
              <caption class="visually-hidden">Invitations</caption>
              <thead>
                <tr>
                  <th scope="col">To</th>
                  <th scope="col">State</th>
                  <th scope="col">Invited by</th>
                  <th scope="col">Expires</th>
                  <th scope="col"><span class="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                <xsl:for-each select="$invs/invitation">
                  <tr>
                    <th scope="row" data-label="To">
                      <xsl:choose>
                        <xsl:when test="@login">
                          <xsl:value-of select="@name"/><xsl:text> </xsl:text>
                          <code class="wrap"><xsl:value-of select="@login"/></code>
                        </xsl:when>
                        <xsl:otherwise><xsl:value-of select="@email"/></xsl:otherwise>
                      </xsl:choose>
                      <xsl:if test="@override-reason">
                        <span class="user-meta muted">Competitor check overridden: <xsl:value-of select="@override-reason"/></span>
                      </xsl:if>
                    </th>
                    <td data-label="State">
                      <span class="status">
                        <xsl:choose>
                          <xsl:when test="@status = 'pending' and @expired = 'yes'">Expired</xsl:when>
                          <xsl:when test="@status = 'pending'">Waiting</xsl:when>
                          <xsl:when test="@status = 'accepted'">Accepted<xsl:if test="@redeemed-by"> by <xsl:value-of select="@redeemed-by"/></xsl:if></xsl:when>
                          <xsl:when test="@status = 'declined'">Declined</xsl:when>
                          <xsl:when test="@status = 'revoked'">Revoked</xsl:when>
                          <xsl:when test="@status = 'expired'">Expired</xsl:when>
                          <xsl:otherwise><xsl:value-of select="@status"/></xsl:otherwise>
                        </xsl:choose>
                      </span>
                    </td>
                    <td data-label="Invited by"><xsl:value-of select="@inviter"/></td>
                    <td data-label="Expires" class="nowrap"><xsl:value-of select="@expires"/></td>
                    <td class="cell-action comm-actions">
                      <xsl:if test="@status = 'pending' and not(@expired = 'yes')">
                        <form method="post" action="/c/{$slug}/invitations/{@id}/revoke">
                          <xsl:call-template name="csrf-field"/>
                          <button class="button button-small button-danger" type="submit">Revoke<span class="visually-hidden"> invitation <xsl:value-of select="@id"/></span></button>
                        </form>
                      </xsl:if>
                      <xsl:if test="@status = 'pending' or @status = 'expired'">
                        <form method="post" action="/c/{$slug}/invitations/{@id}/resend">
                          <xsl:call-template name="csrf-field"/>
                          <button class="button button-small" type="submit">Send again<span class="visually-hidden"> invitation <xsl:value-of select="@id"/></span></button>
                        </form>
                      </xsl:if>
                    </td>
                  </tr>
                </xsl:for-each>
              </tbody>
            </table>
          </xsl:otherwise>
        </xsl:choose>
        <xsl:if test="$invs/next or $invs/@first = 'no'">
          <nav class="pager" aria-label="Pages">
            <xsl:if test="$invs/@first = 'no'">
              <a class="button button-secondary" href="/c/{$slug}/invitations">First page</a>
            </xsl:if>
            <xsl:if test="$invs/next">
              <form class="pager-form" method="get" action="/c/{$slug}/invitations">
                <input type="hidden" name="before" value="{$invs/next/@before}"/>
                <button class="button button-secondary" type="submit">Next page</button>
              </form>
            </xsl:if>
          </nav>
        </xsl:if>
      </section>
    </div>
  </xsl:template>

</xsl:stylesheet>
