<?xml version="1.0" encoding="UTF-8"?>
<!--
  auth/roles.xsl - readable names for roles and identity sources, shared by
  the auth pages (account.xsl, admin_users.xsl).  It is imported next to
  ../common.xsl and defines named templates only.

    role-name    partner_user -> "Partner user", ... (enum pt_role)
    source-name  ldap -> "Company directory (LDAP)", oidc, header, manual,
                 invitation
    method-name  the same, shorter, for table cells
    partner-type-name  msp -> "Managed service provider", ...

  To add a role, add it to enum pt_role (fcgi/portico.h) and a line here.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:template name="role-name">
    <xsl:param name="role"/>
    <xsl:choose>
      <xsl:when test="$role = 'partner_user'">Partner user</xsl:when>
      <xsl:when test="$role = 'partner_admin'">Partner administrator</xsl:when>
      <xsl:when test="$role = 'channel_manager'">Channel manager</xsl:when>
      <xsl:when test="$role = 'content_manager'">Content manager</xsl:when>
      <xsl:when test="$role = 'moderator'">Moderator</xsl:when>
      <xsl:when test="$role = 'portal_admin'">Portal administrator</xsl:when>
      <xsl:otherwise><xsl:value-of select="$role"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Short names, for table cells: how a session was started. -->
  <xsl:template name="method-name">
    <xsl:param name="source"/>
    <xsl:choose>
      <xsl:when test="$source = 'ldap'">Directory password</xsl:when>
      <xsl:when test="$source = 'oidc'">Single sign-on</xsl:when>
      <xsl:when test="$source = 'header'">Company sign-in</xsl:when>
      <xsl:otherwise><xsl:value-of select="$source"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="partner-type-name">
    <xsl:param name="type"/>
    <xsl:choose>
      <xsl:when test="$type = 'reseller'">Reseller</xsl:when>
      <xsl:when test="$type = 'integrator'">Systems integrator</xsl:when>
      <xsl:when test="$type = 'distributor'">Distributor</xsl:when>
      <xsl:when test="$type = 'msp'">Managed service provider</xsl:when>
      <xsl:when test="$type = 'isv'">Software vendor (ISV)</xsl:when>
      <xsl:when test="$type = 'referral'">Referral partner</xsl:when>
      <xsl:otherwise><xsl:value-of select="$type"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="source-name">
    <xsl:param name="source"/>
    <xsl:choose>
      <xsl:when test="$source = 'ldap'">Company directory (LDAP)</xsl:when>
      <xsl:when test="$source = 'oidc'">Single sign-on (OpenID Connect)</xsl:when>
      <xsl:when test="$source = 'header'">Company sign-in (web server)</xsl:when>
      <xsl:when test="$source = 'manual'">An administrator</xsl:when>
      <xsl:when test="$source = 'invitation'">An invitation</xsl:when>
      <xsl:otherwise><xsl:value-of select="$source"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
